#include "tools/report_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace telsim::report {
namespace {

// key -> {English, Russian}. {NAME} marks an argument.
const std::map<std::string, std::pair<const char*, const char*>>& table() {
  static const std::map<std::string, std::pair<const char*, const char*>> t = {
      {"title", {"Calls your telephone network loses, and what they cost",
                 "Сколько звонков теряет телефонная сеть и во что это обходится"}},
      {"subtitle_compare", {"{networks}: the same callers through each network",
                            "{networks}: одни и те же звонящие через каждую сеть"}},
      {"subtitle_run", {"{network}: a month of your calls", "{network}: месяц ваших звонков"}},
      {"headline_fewer", {"With {b}, {calls} fewer [calls:call|calls] a month are lost than with {a}",
                          "С сетью «{b}» теряется на {calls} [calls:звонок|звонка|звонков|звонка] в месяц меньше, чем с сетью «{a}»"}},
      {"headline_more", {"With {b}, {calls} more [calls:call|calls] a month are lost than with {a}",
                         "С сетью «{b}» теряется на {calls} [calls:звонок|звонка|звонков|звонка] в месяц больше, чем с сетью «{a}»"}},
      {"headline_same", {"{b} and {a} lose about as many calls: the difference is within the precision of the simulation",
                         "Сети «{b}» и «{a}» теряют примерно одинаково: разница в пределах точности моделирования"}},
      {"headline_money", {": about {month} a month, {year} a year.", ": это около {month} в месяц и {year} в год."}},
      {"headline_end", {".", "."}},
      {"headline_run", {"{a} loses {calls} of your calls a month", "Сеть «{a}» теряет {calls} [calls:ваш звонок|ваших звонка|ваших звонков|вашего звонка] в месяц"}},
      {"big_lost_with", {"[n:call|calls] lost a month with {name}",
                         "[n:звонок|звонка|звонков|звонка] в месяц теряется с сетью «{name}»"}},
      {"big_saved_month", {"saved a month with {b}", "экономия в месяц с сетью «{b}»"}},
      {"big_extra_month", {"lost in addition a month with {b}", "дополнительные потери в месяц с сетью «{b}»"}},
      {"big_fewer_calls", {"fewer [n:call|calls] lost a month with {b}",
                           "[n:звонок|звонка|звонков|звонка] в месяц теряется меньше с сетью «{b}»"}},
      {"big_more_calls", {"more [n:call|calls] lost a month with {b}",
                          "[n:звонок|звонка|звонков|звонка] в месяц теряется больше с сетью «{b}»"}},
      {"big_money_month", {"lost a month", "потери в месяц"}},
      {"big_money_year", {"lost a year", "потери в год"}},
      {"big_leads", {"[n:caller|callers] a month who never get through",
                     "[n:звонящий|звонящих|звонящих|звонящего] в месяц так и не "
                     "[n:дозванивается|дозваниваются|дозваниваются|дозваниваются]"}},
      {"networks", {"The networks", "Сети"}},
      {"picture_missing", {"Picture of this network: not available in this version (telsim sim graph).",
                           "Схема этой сети: пока недоступна в этой версии (telsim sim graph)."}},
      {"picture_caption", {"Operators, interconnects and the paths calls take (primary and backup). On each interconnect: "
                           "its lines (ch) and the share of calls it passes on.",
                           "Операторы, стыки между ними и пути звонков (основной и резервный). На каждом стыке: число "
                           "линий (кан.) и доля звонков, которую он пропускает."}},
      {"charts", {"Where the calls and the money go", "Куда уходят звонки и деньги"}},
      {"chart_causes", {"Calls lost a month, by cause", "Потерянные звонки в месяц, по причинам"}},
      {"chart_causes_note", {"Calls that never reached you in a month of your calls, by where they were lost.",
                             "Звонки за месяц, которые так и не дошли до вас, по месту потери."}},
      {"chart_money", {"Money lost a month", "Потери денег в месяц"}},
      {"chart_money_note", {"Callers who never got through, times the value of a caller who gets through ({value}).",
                            "Звонящие, которые так и не дозвонились, умноженные на ценность дозвонившегося ({value})."}},
      {"chart_unreachable", {"Minutes a month your numbers cannot be reached",
                             "Минут в месяц, когда ваши номера недоступны"}},
      {"chart_unreachable_note", {"Time the way to your numbers was down, on average over a month; availability is in the table below.",
                                  "Время, когда путь к вашим номерам был прерван, в среднем за месяц; доступность указана в таблице ниже."}},
      {"chart_hours", {"Calls lost a month, by hour of the day", "Потерянные звонки в месяц, по часам суток"}},
      {"chart_hours_note", {"When in the day the calls are lost: most are lost when most people call.",
                            "В какое время суток теряются звонки: больше всего тогда, когда звонят чаще всего."}},
      {"axis_calls", {"calls a month", "звонков в месяц"}},
      {"axis_money", {"{currency} a month", "{currency} в месяц"}},
      {"axis_minutes", {"minutes a month", "минут в месяц"}},
      {"axis_hour", {"hour of the day", "час суток"}},
      {"cause_blocked", {"all lines busy", "все линии заняты"}},
      {"cause_junction", {"lost between operators", "потеряны на стыке операторов"}},
      {"cause_outage", {"route down", "авария на маршруте"}},
      {"cause_node", {"operator's switch down", "отказ станции оператора"}},
      {"cause", {"Cause", "Причина"}},
      {"figures", {"The figures", "Цифры"}},
      {"figure", {"Figure", "Показатель"}},
      {"difference", {"{b} compared with {a}", "«{b}» по сравнению с «{a}»"}},
      {"row_lost_calls", {"Calls lost a month", "Потерянные звонки в месяц"}},
      {"row_lost_leads", {"Callers who never get through, a month", "Звонящие, которые так и не дозвонились, в месяц"}},
      {"row_money_month", {"Money lost a month", "Потери в месяц"}},
      {"row_money_year", {"Money lost a year", "Потери в год"}},
      {"row_delivered", {"Calls delivered, of every 100 attempts (redials included)",
                         "Доставлено звонков из каждых 100 попыток (с повторными)"}},
      {"row_more_calls", {"More calls that reach you, for every 100 that reach you with the first network",
                          "Больше дошедших звонков на каждые 100 дошедших в первой сети"}},
      {"figures_note", {"Lost calls count every failed attempt; a caller who fails may call again, so callers who never "
                        "get through are fewer than lost calls. Money follows the callers who never get through.",
                        "Потерянные звонки — это все неудачные попытки; не дозвонившийся может позвонить снова, поэтому "
                        "звонящих, которые так и не дозвонились, меньше, чем потерянных звонков. Деньги считаются по "
                        "звонящим, которые так и не дозвонились."}},
      {"row_availability", {"Availability of your numbers", "Доступность ваших номеров"}},
      {"row_unreachable", {"Minutes unreachable a month", "Минут недоступности в месяц"}},
      {"interval", {"95% interval: {low} to {high}", "95% интервал: от {low} до {high}"}},
      {"no_interval", {"one run: no interval", "один прогон: интервала нет"}},
      {"range", {"over uncertain inputs: {low} to {high}", "при неточных исходных данных: от {low} до {high}"}},
      {"assumptions", {"Assumptions", "Исходные данные"}},
      {"what", {"What", "Что"}},
      {"value", {"Value", "Значение"}},
      {"source", {"Source", "Источник"}},
      {"a_calls", {"Your calls a month", "Ваших звонков в месяц"}},
      {"a_value", {"Value of a caller who gets through", "Ценность дозвонившегося"}},
      {"a_value_conversion", {"{value}: {rate} of callers buy, for {order} on average",
                              "{value}: покупают {rate} звонящих, в среднем на {order}"}},
      {"a_value_call", {"{value} a call", "{value} за звонок"}},
      {"a_value_lead", {"{value}: what a caller costs in advertising", "{value}: стоимость звонка в рекламе"}},
      {"a_value_none", {"not given: calls only, no money", "не задана: только звонки, без денег"}},
      {"a_simulation", {"Simulation", "Моделирование"}},
      {"a_simulation_value", {"{runs} [runs:run|runs] of {days} [days:day|days] each (after {warmup} [warmup:day|days] "
                              "of warm-up, not counted); random numbers from seed {seed}: the same seed gives the same figures",
                              "{runs} [runs:прогон|прогона|прогонов|прогона] по {days} [days:дню|дня|дней|дня] (после "
                              "{warmup} [warmup:дня|дней|дней|дня] разгона, он не учитывается); случайные числа из зерна {seed}: с тем же "
                              "зерном получаются те же цифры"}},
      {"a_month", {"A month", "Месяц"}},
      {"a_month_value", {"30 days; a year is 12 months", "30 дней; год — 12 месяцев"}},
      {"a_network", {"Each network: operators, lines, losses at each hand-over, outages and repair times",
                     "Каждая сеть: операторы, линии, потери на каждом стыке, аварии и время восстановления"}},
      {"a_network_value", {"as described in its scenario file", "как описано в файле сценария"}},
      {"src_scenario", {"the scenario", "сценарий"}},
      {"src_option", {"given on the command line", "задано в командной строке"}},
      {"src_simulated", {"the simulated traffic", "смоделированный трафик"}},
      {"src_settings", {"the simulation settings", "настройки моделирования"}},
      {"src_convention", {"convention of this report", "соглашение этого отчёта"}},
      {"src_telsim", {"the scenario files given to telsim", "файлы сценариев, переданные telsim"}},
      {"method", {"How these figures were made", "Как получены эти цифры"}},
      {"method_1", {"telsim simulates every call, one by one, through the operators and interconnects of each network. "
                    "Calls arrive at random, at the hours your callers call. Each hand-over between two operators "
                    "loses a small share of calls; a line group with all lines busy turns the next call away; "
                    "interconnects and switches fail at random, and calls are lost until traffic is rerouted. "
                    "Some callers who fail try again.",
                    "telsim моделирует каждый звонок по отдельности на его пути через операторов и стыки каждой сети. "
                    "Звонки приходят случайно, в те часы, когда звонят ваши клиенты. На каждом стыке двух операторов "
                    "теряется небольшая доля звонков; если все линии заняты, следующий звонок не проходит; стыки и "
                    "станции случайно выходят из строя, и звонки теряются, пока трафик не переведут на другой путь. "
                    "Часть не дозвонившихся звонит снова."}},
      {"method_2_compare", {"Every network receives exactly the same callers, so the difference is the networks' alone. "
                            "The simulation was repeated {runs} [runs:time|times] for {days} [days:day|days] each; the "
                            "figures are averages, scaled to {calls} [calls:call|calls] a month.",
                            "Все сети получают в точности одних и тех же звонящих, поэтому разница вызвана только сетями. "
                            "Моделирование повторено {runs} [runs:раз|раза|раз|раза] по {days} [days:дню|дня|дней|дня]; цифры — средние "
                            "значения, пересчитанные "
                            "на {calls} [calls:звонок|звонка|звонков|звонка] в месяц."}},
      {"method_2_run", {"The simulation was repeated {runs} [runs:time|times] for {days} [days:day|days] each; the "
                        "figures are averages, scaled to {calls} [calls:call|calls] a month.",
                        "Моделирование повторено {runs} [runs:раз|раза|раз|раза] по {days} [days:дню|дня|дней|дня]; цифры — средние "
                            "значения, пересчитанные "
                        "на {calls} [calls:звонок|звонка|звонков|звонка] в месяц."}},
      {"method_3", {"The 95% interval is the range the average falls in, with 95% confidence, given the randomness of "
                    "the simulation. It does not cover errors in the assumptions above: if they change, the figures change.",
                    "95% интервал — диапазон, в котором с вероятностью 95% находится среднее значение с учётом "
                    "случайности моделирования. Он не учитывает ошибки в исходных данных: если они изменятся, "
                    "изменятся и цифры."}},
      {"method_range", {"Some inputs are known only as a range ({inputs}): the comparison was also run with each at "
                        "the low and the high end of its range, on the same callers. The range over uncertain inputs "
                        "shows how far the differences move with them.",
                        "Часть исходных данных известна лишь как диапазон ({inputs}): сравнение также проведено с "
                        "каждым из них на нижней и на верхней границе диапазона, на тех же звонящих. Диапазон при "
                        "неточных исходных данных показывает, насколько от них меняется разница."}},
      {"funnel", {"Where your callers go", "Куда уходят ваши звонящие"}},
      {"funnel_intro", {"Of every 100 people who call after seeing an ad: how many the network loses, how many are not "
                        "credited to their ad, how many the office misses, and how many are answered and credited.",
                        "Из каждых 100 человек, которые звонят, увидев рекламу: сколько теряет сеть, скольких не засчитывают "
                        "их рекламе, скольких пропускает офис и скольким отвечают с засчитанной рекламой."}},
      {"funnel_all", {"Of 100 callers from every ad channel", "Из 100 звонящих со всех рекламных каналов"}},
      {"funnel_source", {"Of 100 callers from {label}", "Из 100 звонящих из канала «{label}»"}},
      {"funnel_no_callers", {"no callers in the simulation", "в моделировании нет звонящих"}},
      {"funnel_lost", {"{n} are lost in the network before they reach your tracking numbers",
                       "{n} теряются в сети, не дойдя до ваших номеров отслеживания"}},
      {"funnel_uncredited", {"{n} reach your numbers but are not credited to their ad (shown the spare number {overflow}, "
                             "number no longer theirs {expired}, number given to another visitor since {reused})",
                             "{n} доходят до ваших номеров, но не засчитываются своей рекламе (показан запасной номер "
                             "{overflow}, номер уже не закреплён за ними {expired}, номер с тех пор выдан другому "
                             "посетителю {reused})"}},
      {"funnel_missed", {"{n} are missed by your office (all lines busy {busy}, no answer {no_answer}, "
                         "out of hours {out_of_hours}, taken by voicemail or a mobile {fallback})",
                         "{n} пропускает ваш офис (все линии заняты {busy}, нет ответа {no_answer}, нерабочее время "
                         "{out_of_hours}, приняты автоответчиком или на мобильный {fallback})"}},
      {"funnel_answered_uncredited", {"{n} are answered but not credited to their ad",
                                      "{n} получают ответ, но не засчитываются своей рекламе"}},
      {"funnel_answered", {"{n} are answered and credited to their ad", "{n} получают ответ и засчитываются своей рекламе"}},
      {"funnel_who_all", {"from every ad channel", "со всех рекламных каналов"}},
      {"funnel_who_source", {"from {label}", "из канала «{label}»"}},
      {"funnel_diff_more", {"With {b}, {n} more of every 100 callers {who} are answered and credited to their ad than with {a}.",
                            "С сетью «{b}» из каждых 100 звонящих {who} на {n} больше получают ответ и засчитываются "
                            "своей рекламе, чем с сетью «{a}»."}},
      {"funnel_diff_fewer", {"With {b}, {n} fewer of every 100 callers {who} are answered and credited to their ad than with {a}.",
                             "С сетью «{b}» из каждых 100 звонящих {who} на {n} меньше получают ответ и засчитываются "
                             "своей рекламе, чем с сетью «{a}»."}},
      {"funnel_diff_same", {"With {b}, as many of every 100 callers {who} are answered and credited to their ad as with {a}.",
                            "С сетью «{b}» из каждых 100 звонящих {who} ответ с засчитанной рекламой получают столько же, "
                            "сколько с сетью «{a}»."}},
      {"chart_funnel", {"Of 100 callers, where they go", "Куда уходят 100 звонящих"}},
      {"chart_funnel_note", {"Each bar is 100 callers of one network, from every ad channel or from one.",
                             "Каждая полоса — 100 звонящих одной сети, со всех рекламных каналов или из одного."}},
      {"axis_of100", {"of 100 callers", "из 100 звонящих"}},
      {"seg_lost", {"lost in the network", "потеряны в сети"}},
      {"seg_missed", {"missed by the office", "пропущены офисом"}},
      {"seg_answered_uncredited", {"answered, not credited", "отвечены, не засчитаны"}},
      {"seg_answered", {"answered and credited", "отвечены и засчитаны"}},
      {"bar_all", {"{network}: every channel", "{network}: все каналы"}},
      {"bar_source", {"{network}: {label}", "{network}: {label}"}},
      // ---- a sweep ----
      {"subtitle_sweep_compare", {"{networks}: the same callers through each network, at each value of {params}",
                                  "{networks}: одни и те же звонящие через каждую сеть при разных значениях: {params}"}},
      {"subtitle_sweep_compare_traffic", {"{networks}: each network with its own callers, at each value of {params}",
                                          "{networks}: у каждой сети свои звонящие, при разных значениях: {params}"}},
      {"subtitle_sweep_run", {"{networks}: a month of your calls at each value of {params}",
                              "{networks}: месяц ваших звонков при разных значениях: {params}"}},
      {"sweep_first_grow", {"With {name}, lost calls grow from {from} to {to} a month as {param} {goes} from {a} to {b}",
                            "С сетью «{name}» потери растут с {from} до {to} [to:звонка|звонков|звонков|звонка] в месяц, "
                            "когда {param} {goes} с {a} до {b}"}},
      {"sweep_first_fall", {"With {name}, lost calls fall from {from} to {to} a month as {param} {goes} from {a} to {b}",
                            "С сетью «{name}» потери снижаются с {from} до {to} [to:звонка|звонков|звонков|звонка] в месяц, "
                            "когда {param} {goes} с {a} до {b}"}},
      {"sweep_first_flat", {"With {name}, lost calls stay at {calls} a month as {param} {goes} from {a} to {b}",
                            "С сетью «{name}» потери остаются на уровне {calls} [calls:звонка|звонков|звонков|звонка] "
                            "в месяц, когда {param} {goes} с {a} до {b}"}},
      {"goes_one", {"goes", "меняется"}},
      {"goes_many", {"go", "меняются"}},
      {"sweep_next_grow", {"; with {name} they grow from {from} to {to}",
                           "; с сетью «{name}» растут с {from} до {to} [to:звонка|звонков|звонков|звонка]"}},
      {"sweep_next_fall", {"; with {name} they fall from {from} to {to}",
                           "; с сетью «{name}» снижаются с {from} до {to} [to:звонка|звонков|звонков|звонка]"}},
      {"sweep_next_flat", {"; with {name} they stay at {calls}",
                           "; с сетью «{name}» остаются на уровне {calls} [calls:звонка|звонков|звонков|звонка]"}},
      {"sweep_money_saved", {"With {b}, that saves {from} to {to} a month against {a}.",
                             "С сетью «{b}» это экономия от {from} до {to} в месяц по сравнению с сетью «{a}»."}},
      {"sweep_money_extra", {"With {b}, that costs {from} to {to} a month more than with {a}.",
                             "С сетью «{b}» это дополнительные потери от {from} до {to} в месяц по сравнению с сетью «{a}»."}},
      {"sweep_money_mixed", {"Money lost a month with {b} minus that with {a}: from {from} to {to}.",
                             "Разница потерь в месяц, сеть «{b}» минус сеть «{a}»: от {from} до {to}."}},
      {"sweep_grid_note", {"These figures are at {series}; the chart and the table show every value.",
                           "Эти цифры — при значении «{series}»; график и таблица показывают все значения."}},
      {"big_sweep_lost", {"[to:call|calls] lost a month with {name}, from {a} to {b}",
                          "[to:звонок|звонка|звонков|звонка] в месяц теряется с сетью «{name}», от {a} до {b}"}},
      {"big_sweep_saved", {"saved a month with {b}, from {x0} to {x}", "экономия в месяц с сетью «{b}», от {x0} до {x}"}},
      {"big_sweep_extra", {"lost in addition a month with {b}, from {x0} to {x}",
                           "дополнительные потери в месяц с сетью «{b}», от {x0} до {x}"}},
      {"big_sweep_money_mixed", {"money lost a month with {b} minus with {a}, from {x0} to {x}",
                                 "разница потерь в месяц: «{b}» минус «{a}», от {x0} до {x}"}},
      {"big_sweep_money", {"lost a month, from {a} to {b}", "потери в месяц, от {a} до {b}"}},
      {"sweep_charts", {"How the losses change with the varied value", "Как потери зависят от меняющегося параметра"}},
      {"chart_sweep_calls", {"Calls lost a month at each value", "Потерянные звонки в месяц при каждом значении"}},
      {"chart_sweep_note", {"One line per network; the shaded band around a line is its 95% interval.",
                            "По линии на сеть; закрашенная полоса вокруг линии — её 95% интервал."}},
      {"chart_sweep_money", {"Money lost a month at each value", "Потери денег в месяц при каждом значении"}},
      {"chart_sweep_difference", {"Difference in calls lost a month", "Разница в потерянных звонках в месяц"}},
      {"chart_sweep_difference_note", {"Calls lost a month with each network minus those lost with {a}, on the same "
                                       "callers; below zero, fewer are lost.",
                                       "Потерянные звонки в месяц в каждой сети минус потерянные в сети «{a}», на одних "
                                       "и тех же звонящих; ниже нуля — теряется меньше."}},
      {"sweep_table", {"At each value", "При каждом значении"}},
      {"sweep_table_note", {"Each row is one simulated value, each figure with its 95% interval.",
                            "Каждая строка — одно смоделированное значение, каждая цифра — с её 95% интервалом."}},
      {"col_lost", {"Calls lost a month: {name}", "Потерянные звонки в месяц: {name}"}},
      {"col_money", {"Money lost a month: {name}", "Потери в месяц: {name}"}},
      {"col_diff_lost", {"{who}: calls lost", "{who}: потерянные звонки"}},
      {"col_diff_money", {"{who}: money lost", "{who}: потери денег"}},
      {"a_varied", {"Varied: {param}", "Меняется: {param}"}},
      {"a_varied_value", {"from {from} to {to} ({n} [n:value|values])",
                          "от {from} до {to} ({n} [n:значение|значения|значений])"}},
      {"method_2_sweep_compare",
       {"At every value, every network receives exactly the same callers, and so does every value: the difference "
        "between the networks is theirs alone, and the change along a line is that of the varied value. The simulation "
        "was repeated {runs} [runs:time|times] for {days} [days:day|days] at each value; the figures are averages, "
        "scaled to {calls} [calls:call|calls] a month.",
        "При каждом значении все сети получают в точности одних и тех же звонящих, и при всех значениях — тоже: "
        "разница между сетями вызвана только сетями, а изменение вдоль линии — только меняющимся параметром. "
        "Моделирование повторено {runs} [runs:раз|раза|раз] по {days} [days:дню|дня|дней|дня] при каждом значении; "
        "цифры — средние значения, пересчитанные на {calls} [calls:звонок|звонка|звонков|звонка] в месяц."}},
      {"method_2_sweep_run",
       {"Every value receives exactly the same callers, so the change along the line is that of the varied value. "
        "The simulation was repeated {runs} [runs:time|times] for {days} [days:day|days] at each value; the figures are "
        "averages, scaled to {calls} [calls:call|calls] a month.",
        "При всех значениях звонящие в точности одни и те же, поэтому изменение вдоль линии вызвано только меняющимся "
        "параметром. Моделирование повторено {runs} [runs:раз|раза|раз] по {days} [days:дню|дня|дней|дня] при каждом "
        "значении; цифры — средние значения, пересчитанные на {calls} [calls:звонок|звонка|звонков|звонка] в месяц."}},
      {"method_2_sweep_compare_traffic",
       {"At every value, each network receives its own callers (the sweep allowed different traffic), so the "
        "difference between the networks includes that of their traffic. The simulation was repeated {runs} "
        "[runs:time|times] for {days} [days:day|days] at each value; the figures are averages, each network's scaled "
        "by its own callers to {calls} [calls:call|calls] a month.",
        "При каждом значении каждая сеть получает своих звонящих (в расчёте разрешён разный трафик), поэтому разница "
        "между сетями включает и разницу их трафика. Моделирование повторено {runs} [runs:раз|раза|раз] по {days} "
        "[days:дню|дня|дней|дня] при каждом значении; цифры — средние значения, пересчитанные для каждой сети по её "
        "звонящим на {calls} [calls:звонок|звонка|звонков|звонка] в месяц."}},
      {"method_sweep_approximate",
       {"Here each network is scaled by its own callers, so the 95% interval of a difference is approximate: the "
        "networks' own intervals, combined as if independent.",
        "Здесь каждая сеть пересчитана по своим звонящим, поэтому 95% интервал разницы приблизительный: интервалы "
        "сетей, сложенные как независимые."}},
      {"method_sweep_varies",
       {"Along the sweep, {what} change with the varied setting; the numbers in the sentence above are "
        "those of the first value.",
        "Вдоль расчёта {what} меняются вместе с параметром; числа в предложении выше относятся к первому значению."}},
      {"varies_days", {"the simulated days (from {from} to {to})", "смоделированные дни (от {from} до {to})"}},
      {"varies_calls", {"your calls a month (from {from} to {to})", "ваши звонки в месяц (от {from} до {to})"}},
      {"varies_callers", {"the callers ({param})", "звонящие ({param})"}},
      {"and", {" and ", " и "}},
      {"a_from_to", {"from {from} to {to}", "от {from} до {to}"}},
      {"a_days_varied", {"; the days vary with the sweep: from {from} to {to}",
                         "; число дней меняется вдоль расчёта: от {from} до {to}"}},
      {"method_sweep_month",
       {"The figures a month are worked out from the averages at each value (calls lost, times your calls a month, "
        "over the simulated callers). A comparison at one value scales each run first; its figures differ from these "
        "by a few in ten thousand at most.",
        "Цифры за месяц рассчитаны по средним значениям при каждом значении (потерянные звонки, умноженные на ваши "
        "звонки в месяц и делённые на смоделированных звонящих). Отдельное сравнение при одном значении "
        "пересчитывает каждый прогон; его цифры отличаются от этих не больше чем на несколько десятитысячных."}},
      {"param_hop", {"the share of calls passed at hand-over {name}", "доля прохождения звонков через стык {name}"}},
      {"param_channels", {"the number of lines of interconnect {name}", "число линий на стыке {name}"}},
      {"param_completion", {"the share of calls passed at interconnect {name}", "доля прохождения звонков через стык {name}"}},
      {"param_calls_per_day", {"the calls a day from {name}", "число звонков в сутки от {name}"}},
      {"param_calls_per_month", {"your calls a month", "число ваших звонков в месяц"}},
      {"param_call_value", {"the value of a caller who gets through", "ценность дозвонившегося"}},
      {"param_conversion_rate", {"the share of callers who buy", "доля покупателей среди звонящих"}},
      {"param_order_value", {"the average order", "средний заказ"}},
      {"param_cost_per_lead", {"what a caller costs in advertising", "стоимость звонка в рекламе"}},
      {"param_other", {"the setting {name}", "параметр {name}"}},
      {"param_in_network", {"{param} in network {network}", "{param} в сети «{network}»"}},
      {"footer", {"Made with telsim {version} (telsim report). The data behind the charts is embedded in this file; "
                  "it opens without a network connection.",
                  "Подготовлено telsim {version} (telsim report). Данные для графиков встроены в этот файл; "
                  "он открывается без подключения к сети."}},
      {"footer_md", {"Made with telsim {version} (telsim report).", "Подготовлено telsim {version} (telsim report)."}},
      {"chart_data", {"The charts are in the HTML report (telsim report --format html).",
                      "Графики — в HTML-версии отчёта (telsim report --format html)."}},
  };
  return t;
}

std::string group(const std::string& digits, const char* sep) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

const char* kMinus = "\u2212";
const char* kThinSpace = "\u202f";
const char* kNoBreakSpace = "\u00a0";

}  // namespace

const char* lang_code(Lang lang) { return lang == Lang::kRu ? "ru" : "en"; }

bool has_text(const std::string& key) { return table().count(key) > 0; }

Plural plural_form(Lang lang, const std::string& shown) {
  // The visible text of the number: markup dropped, the first run of digits
  // with its separators.
  std::string visible;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] == '<') {
      size_t end = shown.find('>', i);
      if (end == std::string::npos) break;
      i = end;
    } else {
      visible += shown[i];
    }
  }
  const char decimal_mark = lang == Lang::kRu ? ',' : '.';
  unsigned long long n = 0, whole = 0;  // the last three digits; the whole number, capped
  bool digits = false, fraction = false;
  for (size_t i = 0; i < visible.size(); ++i) {
    char c = visible[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      n = (n * 10 + static_cast<unsigned>(c - '0')) % 1000;  // the last three digits decide in Russian
      whole = std::min(whole * 10 + static_cast<unsigned>(c - '0'), 1000000000000ULL);
    } else if (!digits) {
      continue;
    } else if (c == decimal_mark && i + 1 < visible.size() && visible[i + 1] >= '0' && visible[i + 1] <= '9') {
      fraction = true;
      break;
    } else if (c == ',' && lang == Lang::kEn) {
      continue;  // thousands
    } else if (visible.compare(i, 3, kThinSpace) == 0) {
      i += 2;  // thousands (Russian)
    } else {
      break;
    }
  }
  if (fraction) return Plural::kFraction;
  if (lang == Lang::kEn) return whole == 1 ? Plural::kOne : Plural::kMany;
  if (n % 10 == 1 && n % 100 != 11) return Plural::kOne;
  if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) return Plural::kFew;
  return Plural::kMany;
}

std::string text(Lang lang, const std::string& key, const std::map<std::string, std::string>& args) {
  auto it = table().find(key);
  if (it == table().end()) throw std::logic_error("report text without a translation: " + key);
  std::string s = lang == Lang::kRu ? it->second.second : it->second.first;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') {
      size_t end = s.find('}', i);
      auto a = args.find(s.substr(i + 1, end - i - 1));
      if (end == std::string::npos || a == args.end()) throw std::logic_error("report text " + key + ": no argument at " + s.substr(i));
      out += a->second;
      i = end;
    } else if (s[i] == '[') {
      // [NAME:one|few|many|fraction]: the word that agrees with argument NAME.
      size_t colon = s.find(':', i), end = s.find(']', i);
      if (colon == std::string::npos || end == std::string::npos || colon > end)
        throw std::logic_error("report text " + key + ": bad plural at " + s.substr(i));
      auto a = args.find(s.substr(i + 1, colon - i - 1));
      if (a == args.end()) throw std::logic_error("report text " + key + ": no argument at " + s.substr(i));
      std::vector<std::string> forms;
      for (size_t at = colon + 1; at <= end;) {
        size_t bar = std::min(s.find('|', at), end);
        forms.push_back(s.substr(at, bar - at));
        at = bar + 1;
      }
      out += plural_word(lang, a->second, forms);
      i = end;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string plural_word(Lang lang, const std::string& shown, const std::vector<std::string>& forms) {
  if (forms.empty()) throw std::logic_error("plural without forms");
  Plural f = plural_form(lang, shown);
  if (lang == Lang::kEn) return forms[f == Plural::kOne || forms.size() < 2 ? 0 : 1];
  // Russian: one, few, many; a fraction takes its own form when given, else few.
  size_t k = f == Plural::kOne ? 0 : f == Plural::kFew ? 1 : f == Plural::kMany ? 2 : forms.size() > 3 ? 3 : 1;
  return forms[std::min(k, forms.size() - 1)];
}

std::string decimal(double x, int decimals, Lang lang) {
  std::string s = fmt::format("{:.{}f}", std::abs(x), decimals);
  bool zero = s.find_first_not_of("0.") == std::string::npos;
  size_t dot = s.find('.');
  std::string int_part = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string out = group(int_part, lang == Lang::kRu ? kThinSpace : ",");
  if (!frac.empty()) out += (lang == Lang::kRu ? "," : ".") + frac;
  return (x < 0 && !zero ? kMinus : "") + out;
}

std::string whole(double x, Lang lang) { return decimal(x, 0, lang); }

std::string percent(double ratio, int decimals, Lang lang) {
  return decimal(100 * ratio, decimals, lang) + (lang == Lang::kRu ? std::string(kNoBreakSpace) + "%" : "%");
}

std::string money(double x, const std::string& currency, Lang lang) {
  return whole(x, lang) + kNoBreakSpace + currency;
}

}  // namespace telsim::report
