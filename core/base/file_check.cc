#include "core/base/file_check.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/base/error.h"

namespace telsim {

void refuse_folder(const std::string& path, std::string_view where, std::string_view what) {
  struct stat st;
  if (path.empty() || path == "-" || stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
  if (where.empty()) throw InputError(fmt::format("{}: is a folder, not {}", path, what));
  throw InputError(fmt::format("{} {}: is a folder, not {}", where, path, what));
}

}  // namespace telsim
