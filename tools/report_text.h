#pragma once
// Every text of `telsim report` in English and Russian (one table), and
// numbers written the way each language writes them.
#include <map>
#include <string>

namespace telsim::report {

enum class Lang { kEn, kRu };

/// "en" or "ru" (the --lang value).
const char* lang_code(Lang lang);

/// The text of `key` in `lang`, each {NAME} replaced by args[NAME]. The
/// templates hold no markup characters, so escaped arguments keep the result
/// safe. Throws std::logic_error for a key the table lacks (a bug).
std::string text(Lang lang, const std::string& key, const std::map<std::string, std::string>& args = {});

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
