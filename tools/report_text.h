#pragma once
// Every text of `telsim report` in English and Russian (one table), and
// numbers written the way each language writes them.
#include <map>
#include <string>
#include <vector>

namespace telsim::report {

enum class Lang { kEn, kRu };

/// "en" or "ru" (the --lang value).
const char* lang_code(Lang lang);

/// The text of `key` in `lang`, each {NAME} replaced by args[NAME]. The
/// templates hold no markup characters, so escaped arguments keep the result
/// safe. Throws std::logic_error for a key the table lacks (a bug).
std::string text(Lang lang, const std::string& key, const std::map<std::string, std::string>& args = {});

/// A template's word that follows a number is written [NAME:one|few|many]
/// (Russian; English [NAME:one|other]) and agrees with the number shown in
/// argument NAME. A Russian fraction takes a fourth form when given
/// ([n:звонок|звонка|звонков|звонка]), else the second (1,5 звонка).

/// The grammatical number of a number as shown (markup and the words after
/// it ignored). Russian: 1, 21, 101 one; 2-4, 22-24 few; 0, 5-20, 25-30, 111-114
/// many; any decimal fraction (1,5; 2,0) fraction. English: 1 one, else many.
enum class Plural { kOne, kFew, kMany, kFraction };
Plural plural_form(Lang lang, const std::string& shown);

/// The form of `forms` (one|few|many[|fraction]; English one|other) that
/// agrees with the number shown in `shown`.
std::string plural_word(Lang lang, const std::string& shown, const std::vector<std::string>& forms);

/// True when the table has `key` in both languages.
bool has_text(const std::string& key);

/// Numbers for people. English: 12,345.6; Russian: 12 345,6 (a narrow
/// no-break space U+202F between thousands, a decimal comma). Negative
/// numbers take the minus sign U+2212; what rounds to zero has no sign.
std::string whole(double x, Lang lang);
std::string decimal(double x, int decimals, Lang lang);
/// `ratio` as a percentage: 99.95% / 99,95 % (no-break space before %).
std::string percent(double ratio, int decimals, Lang lang);
/// A whole amount and its currency code: 2,000 RUB / 2 000 RUB.
std::string money(double x, const std::string& currency, Lang lang);

}  // namespace telsim::report
