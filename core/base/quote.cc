#include "core/base/quote.h"

#include <fmt/format.h>

namespace telsim {

std::string quote_field(std::string_view field, size_t max) {
  if (field.size() <= max) return fmt::format("'{}'", field);
  size_t cut = max;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(field[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("'{}...' ({} bytes)", field.substr(0, cut), field.size());
}

std::string cut_field(std::string_view field, size_t max) {
  return field.size() <= max ? std::string(field) : quote_field(field, max);
}

std::string cut_list(std::string_view list, size_t max) {
  if (list.size() <= max) return std::string(list);
  size_t cut = list.rfind(", ", max);
  return cut == std::string_view::npos ? quote_field(list, max) : std::string(list.substr(0, cut)) + ", ...";
}

}  // namespace telsim
