#pragma once
// Phone numbers to E.164 with libphonenumber, plus a fast path for the
// shapes Russian switches write most (8XXXXXXXXXX, 7XXXXXXXXXX, +7..., 810...),
// which readers of large CDR files hit millions of times.
#include <memory>
#include <string>
#include <string_view>

namespace telsim {

struct PhoneNumber {
  enum class Kind {
    kE164,     // a full international number: `text` is +CC...
    kLocal,    // a short local number (e.g. 214943): kept as dialled digits
    kInvalid,  // not a phone number at all (letters, empty, too long)
  };
  Kind kind = Kind::kInvalid;
  std::string text;  // E.164 (+79245555937), local digits, or empty
  bool ok() const { return kind == Kind::kE164; }
};

/// Normalises numbers as dialled in one region (ISO 3166 code, "RU" default).
class PhoneNormaliser {
 public:
  explicit PhoneNormaliser(std::string region = "RU");
  ~PhoneNormaliser();
  PhoneNumber normalise(std::string_view raw) const;
  /// True when libphonenumber considers `e164` a valid number.
  bool is_valid(const std::string& e164) const;
  const std::string& region() const { return region_; }

 private:
  std::string region_;
};

}  // namespace telsim
