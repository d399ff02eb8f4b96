#pragma once
// Quoting a piece of the user's input in a message: the one helper every
// "FILE:LINE: time 'xyz' is not ..." message goes through, so that a bad
// field of a megabyte gives a message of a few hundred bytes, not a megabyte.
#include <cstddef>
#include <string>
#include <string_view>

namespace telsim {

/// Longest part of a field that messages quote, in bytes.
constexpr size_t kQuotedFieldMax = 200;

/// `field` in single quotes: 'abc'. A field longer than `max` bytes is cut
/// at a UTF-8 character boundary at or before `max` and marked with its full
/// size: 'abc...' (1048576 bytes). Bytes are kept as they are otherwise.
std::string quote_field(std::string_view field, size_t max = kQuotedFieldMax);

/// `field` as it is when at most `max` bytes (a name or key shown bare in
/// its message), else quoted and cut as by quote_field.
std::string cut_field(std::string_view field, size_t max = kQuotedFieldMax);

/// A list of names "a, b, c" as a message shows it: whole if it is at most
/// `max` bytes, else cut after the last name that ends within `max` bytes
/// ("a, b, ..."), or quoted and cut as by quote_field when even the first
/// name is longer.
std::string cut_list(std::string_view list, size_t max = kQuotedFieldMax);

}  // namespace telsim
