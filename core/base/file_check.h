#pragma once
// The one check for "a file was expected here": every option and argument
// that reads a file refuses a folder the same way, before any work is done.
#include <string>
#include <string_view>

namespace telsim {

/// Throws InputError "`where` `path`: is a folder, not `what`" (`where` is
/// the option, such as "--outcomes", or empty for an argument) when `path`
/// names a folder. Anything else (a missing file, a pipe, "-") is left to
/// the code that opens it, which says what is wrong in its own words.
void refuse_folder(const std::string& path, std::string_view where, std::string_view what);

}  // namespace telsim
