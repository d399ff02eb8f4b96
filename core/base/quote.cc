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

}  // namespace telsim
