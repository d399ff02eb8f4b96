// The part of core/phone that calls libphonenumber, built as a module that
// phone.cc loads (dlopen) the first time a number needs it: libphonenumber
// brings protobuf, ICU and abseil, whose loading would otherwise triple the
// start-up of every telsim command (docs/performance.md, "Start-up").
// A C interface: nothing of the C++ ABI crosses the dlopen boundary.
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumberUtil;

extern "C" {

/// The country calling code of an ISO region, 0 when unknown.
int telsim_pn_country_code(const char* region) {
  return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region);
}

/// 1 when `number` (dialled in `region`) parses and is a valid number.
int telsim_pn_is_valid(const char* number, const char* region) {
  PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber n;
  if (util->Parse(number, region, &n) != PhoneNumberUtil::NO_PARSING_ERROR) return 0;
  return util->IsValidNumber(n) ? 1 : 0;
}

/// -1: does not parse; 0: parses but is no possible number; 1: `out` (of
/// `cap` bytes) holds its E.164 form.
int telsim_pn_e164(const char* input, const char* region, char* out, size_t cap) {
  PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber n;
  if (util->Parse(input, region, &n) != PhoneNumberUtil::NO_PARSING_ERROR) return -1;
  if (!util->IsPossibleNumber(n)) return 0;
  std::string text;
  util->Format(n, PhoneNumberUtil::E164, &text);
  if (text.size() + 1 > cap) return -1;
  std::memcpy(out, text.c_str(), text.size() + 1);
  return 1;
}
}
