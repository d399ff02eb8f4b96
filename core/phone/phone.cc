#include "core/phone/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>

#include "core/base/error.h"

namespace telsim {

using i18n::phonenumbers::PhoneNumberUtil;

PhoneNormaliser::PhoneNormaliser(std::string region) : region_(std::move(region)) {
  PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  if (util->GetCountryCodeForRegion(region_) == 0)
    throw InputError(region_ + ": not a region libphonenumber knows (use an ISO code such as RU)", Topic::kRegion);
}
PhoneNormaliser::~PhoneNormaliser() = default;

bool PhoneNormaliser::is_valid(const std::string& e164) const {
  PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber n;
  if (util->Parse(e164, region_, &n) != PhoneNumberUtil::NO_PARSING_ERROR) return false;
  return util->IsValidNumber(n);
}

PhoneNumber PhoneNormaliser::normalise(std::string_view raw) const {
  PhoneNumber out;
  // Keep digits and a leading plus; allow the usual punctuation; anything
  // else (letters, '@', ...) means it is not a number.
  std::string digits;
  bool plus = false;
  for (char ch : raw) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isdigit(c)) digits += ch;
    else if (ch == '+' && digits.empty() && !plus) plus = true;
    else if (ch == ' ' || ch == '-' || ch == '(' || ch == ')' || ch == '.' || ch == '\t') continue;
    else return out;
  }
  if (digits.empty() || digits.size() > 15 + 3) return out;

  if (region_ == "RU") {
    // Fast path: the national shapes, no allocation-heavy parsing.
    if (!plus && digits.size() == 11 && (digits[0] == '8' || digits[0] == '7')) {
      out.kind = PhoneNumber::Kind::kE164;
      out.text = "+7" + digits.substr(1);
      return out;
    }
    if (plus && digits.size() == 11 && digits[0] == '7') {
      out.kind = PhoneNumber::Kind::kE164;
      out.text = "+" + digits;
      return out;
    }
    if (!plus && digits.size() > 3 && digits.compare(0, 3, "810") == 0) {
      digits = digits.substr(3);
      plus = true;
    }
  }
  if (!plus && digits.size() <= 7) {  // a short local number: keep, mark, do not invent a code
    out.kind = PhoneNumber::Kind::kLocal;
    out.text = digits;
    return out;
  }
  PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber n;
  std::string input = (plus ? "+" : "") + digits;
  if (util->Parse(input, region_, &n) != PhoneNumberUtil::NO_PARSING_ERROR) return out;
  if (!util->IsPossibleNumber(n)) {
    if (!plus) {
      out.kind = PhoneNumber::Kind::kLocal;
      out.text = digits;
    }
    return out;
  }
  out.kind = PhoneNumber::Kind::kE164;
  util->Format(n, PhoneNumberUtil::E164, &out.text);
  return out;
}

}  // namespace telsim
