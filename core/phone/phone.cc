#include "core/phone/phone.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cctype>
#include <mutex>
#include <stdexcept>

#include "core/base/error.h"
#include "core/base/quote.h"

namespace telsim {

namespace {

// libphonenumber sits in a module loaded on first use (module/, see there
// why): the functions it exports.
struct PhoneModule {
  int (*country_code)(const char* region);
  int (*is_valid)(const char* number, const char* region);
  int (*e164)(const char* input, const char* region, char* out, size_t cap);
};

// The module lies next to the executable (build tree), one folder up (tests
// and benchmarks in build/tests), or in lib/telsim once installed.
const PhoneModule& phone_module() {
  static PhoneModule m;
  static std::once_flag once;
  std::call_once(once, [] {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : std::string("./x");
    dir = dir.substr(0, dir.rfind('/'));
    void* h = nullptr;
    std::string tried;
    for (std::string d : {dir, dir + "/..", dir + "/" TELSIM_PHONE_FROM_BIN, dir + "/" TELSIM_PHONE_FROM_LIBEXEC}) {
      std::string path = d + "/" TELSIM_PHONE_MODULE;
      tried += (tried.empty() ? "" : ", ") + path;
      if ((h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))) break;
    }
    if (!h) throw std::runtime_error("cannot load the phone number module (" + tried + "): " + dlerror());
    m.country_code = reinterpret_cast<int (*)(const char*)>(dlsym(h, "telsim_pn_country_code"));
    m.is_valid = reinterpret_cast<int (*)(const char*, const char*)>(dlsym(h, "telsim_pn_is_valid"));
    m.e164 = reinterpret_cast<int (*)(const char*, const char*, char*, size_t)>(dlsym(h, "telsim_pn_e164"));
    if (!m.country_code || !m.is_valid || !m.e164)
      throw std::runtime_error(std::string("the phone number module lacks a function: ") + dlerror());
  });
  return m;
}

}  // namespace

PhoneNormaliser::PhoneNormaliser(std::string region) : region_(std::move(region)) {
  if (phone_module().country_code(region_.c_str()) == 0)
    throw InputError(cut_field(region_) + ": not a region libphonenumber knows (use an ISO code such as RU)",
                     Topic::kRegion);
}
PhoneNormaliser::~PhoneNormaliser() = default;

bool PhoneNormaliser::is_valid(const std::string& e164) const {
  return phone_module().is_valid(e164.c_str(), region_.c_str()) == 1;
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
  std::string input = (plus ? "+" : "") + digits;
  char e164[64];
  int r = phone_module().e164(input.c_str(), region_.c_str(), e164, sizeof e164);
  if (r < 0) return out;
  if (r == 0) {
    if (!plus) {
      out.kind = PhoneNumber::Kind::kLocal;
      out.text = digits;
    }
    return out;
  }
  out.kind = PhoneNumber::Kind::kE164;
  out.text = e164;
  return out;
}

}  // namespace telsim
