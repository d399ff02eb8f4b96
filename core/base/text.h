#pragma once
// Small text chores every reader of user files does the same way: trimming
// blanks, dropping a UTF-8 byte order mark, checking and cleaning UTF-8.
#include <string>
#include <string_view>

namespace telsim {

/// `s` without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view s);

/// `s` without a leading UTF-8 byte order mark (spreadsheets write one at
/// the start of a CSV file); unchanged when it has none.
std::string_view strip_bom(std::string_view s);

/// True when `s` is valid UTF-8 (no overlong forms, surrogates or code
/// points above U+10FFFF).
bool valid_utf8(std::string_view s);

/// `text` with every byte that is not part of valid UTF-8, and every control
/// character, replaced by '?': safe for output that must be UTF-8 (JSON,
/// terminals).
std::string printable_utf8(std::string_view text);

}  // namespace telsim
