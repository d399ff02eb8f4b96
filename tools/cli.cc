#include "tools/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/base/error.h"
#include "core/base/quote.h"
#include "tools/output.h"

namespace telsim::cli {

CLI::Option* add_format(CLI::App& app, std::string& format) {
  format = "table";
  return app.add_option("--format", format, "Output format")->check(CLI::IsMember({"table", "json", "csv"}));
}

void emit(const std::string& text, const std::string& out_path) { out::emit(text, out_path); }

std::string parse_number(const std::string& text, bool integer, double* x) {
  const char* b = text.c_str();
  char* end = nullptr;
  errno = 0;
  *x = std::strtod(b, &end);
  if (end == b || *end != '\0') return fmt::format("{} is not a number", quote_field(text));
  if (std::isnan(*x)) return "must be a number, not NaN";
  if (std::isinf(*x)) return fmt::format("must be a finite number, not {}", quote_field(text));
  if (errno == ERANGE) return fmt::format("{} is too close to 0 to be read as a number", quote_field(text));
  if (integer && (std::floor(*x) != *x || text.find_first_of(".eE") != std::string::npos))
    return fmt::format("must be a whole number, not {}", quote_field(text));
  return "";
}

CLI::Validator positive(bool integer) {
  return CLI::Validator(
      [integer](std::string& text) {
        double x;
        std::string e = parse_number(text, integer, &x);
        if (e.empty() && !(x > 0)) e = fmt::format("must be greater than 0, not {}", quote_field(text));
        return e;
      },
      "POSITIVE");
}

CLI::Validator non_negative(bool integer) {
  return CLI::Validator(
      [integer](std::string& text) {
        double x;
        std::string e = parse_number(text, integer, &x);
        if (e.empty() && x < 0) e = fmt::format("must be 0 or more, not {}", quote_field(text));
        return e;
      },
      "NONNEGATIVE");
}

CLI::Validator within(double lo, double hi, bool integer) {
  return CLI::Validator(
      [=](std::string& text) {
        double x;
        std::string e = parse_number(text, integer, &x);
        if (e.empty() && (x < lo || x > hi))
          e = fmt::format("must be from {:g} to {:g}, not {}", lo, hi, quote_field(text));
        return e;
      },
      fmt::format("{} in [{:g} - {:g}]", integer ? "INT" : "FLOAT", lo, hi));
}

void warn(const std::string& text) noexcept { std::fputs(text.c_str(), stderr); }

bool stderr_is_tty() { return isatty(fileno(stderr)) != 0; }

std::string with_option(const std::exception& e) {
  const auto* in = dynamic_cast<const InputError*>(&e);
  switch (in ? in->topic() : Topic::kNone) {
    case Topic::kTimeZone: return fmt::format("--tz {}", e.what());
    case Topic::kRegion: return fmt::format("--region {}", e.what());
    // Only --strict turns strict reading on.
    case Topic::kStrictStop: return fmt::format("{} (--strict stops at the first bad row)", e.what());
    // Only `erlang channels` takes a blocking target.
    case Topic::kBlockingTarget: return "erlang channels: --max-blocking must be in (0, 1)";
    // The CDR options are spelled alike in `cdr stats|replay` and in
    // `sim run|compare --traffic-from-cdr`.
    case Topic::kCdrFormat:
      return fmt::format("{}; give --input asterisk|freeswitch, or --mapping FILE for a CSV with a header", e.what());
    case Topic::kMapping: return "--input mapped needs --mapping FILE";
    case Topic::kGroupBy: return "--by: at most 4 keys";
    case Topic::kRegistry: return "--by operator needs --registry FILE (made by `telsim numbering import`)";
    case Topic::kOverride: return fmt::format("--set {}", e.what());
    case Topic::kDateFormat: {
      std::string s = e.what();
      return s.replace(0, 11, "--date-format");
    }
    case Topic::kEmptyOverride: return "--set: empty key (use --set KEY=VALUE)";
    case Topic::kNumberState: return fmt::format("--state {}", e.what());
    case Topic::kHoldTime: return "--hold-minutes must be positive";
    case Topic::kOverflowNumber: return fmt::format("--overflow: {}", e.what());
    case Topic::kFixedChannel: {
      std::string s = e.what();  // "..., not a fixed one": name the options that set one
      return s.substr(0, s.rfind("a fixed one")) + "--source/--medium/--campaign";
    }
    case Topic::kWhichNumbers: return "say which numbers to allocate (NUMBER...) or how many (--count N)";
    case Topic::kCount: return fmt::format("--count {}", e.what());
    case Topic::kSession: return "--session must not be empty";
    case Topic::kMinDays: return fmt::format("--min-days {}", e.what());
    case Topic::kMaxCalls: return fmt::format("--max-calls {}", e.what());
    case Topic::kWindowDays: return fmt::format("--window-days {}", e.what());
    case Topic::kReportPeriod: return "report period is empty: --from must be before --at";
    case Topic::kSkipBad: {  // the hint ends the first line; the bad rows follow
      std::string s = e.what();
      return s.insert(std::min(s.find('\n'), s.size()), " (--skip-bad imports the good rows)");
    }
    case Topic::kNoDatabase:
      return fmt::format("{}: create it with `telsim pool init --db {}`", e.what(), in->subject());
    case Topic::kOldSchema:
      return fmt::format("{}: bring it up to date with `telsim pool init --db {}`", e.what(), in->subject());
    case Topic::kOverflowTarget: {
      std::string s = e.what();
      return s.replace(s.find("the overflow target"), 19, "--max-overflow");
    }
    default: return e.what();
  }
}

std::string join_list(const std::vector<std::string>& words, const std::string& last) {
  std::string s;
  for (size_t i = 0; i < words.size(); ++i) s += (i == 0 ? "" : i + 1 == words.size() ? last : ", ") + words[i];
  return s;
}

void check_network_count(size_t files) {
  if (files > 26)
    throw InputError(fmt::format("{} networks given: at most 26 (they are lettered A to Z)", files));
}

}  // namespace telsim::cli
