#include "tools/guide.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "core/base/quote.h"
#include "tools/cli.h"

namespace telsim::cli {

namespace {

bool visible(const CLI::App* c) { return !c->get_group().empty(); }

std::vector<const CLI::App*> commands(const CLI::App& app, bool with_hidden = false) {
  return app.get_subcommands([with_hidden](const CLI::App* c) { return with_hidden || visible(c); });
}

std::vector<std::string> names(const std::vector<const CLI::App*>& cmds) {
  std::vector<std::string> r;
  for (auto* c : cmds) r.push_back(c->get_name());
  return r;
}

std::string listing(const std::vector<const CLI::App*>& cmds) {
  size_t w = 0;
  for (auto* c : cmds) w = std::max(w, c->get_name().size());
  std::string s;
  for (auto* c : cmds) s += fmt::format("  {:<{}}  {}\n", c->get_name(), w, summary_of(*c));
  return s;
}

std::string quoted_list(std::vector<std::string> words) {
  for (auto& w : words) w = "'" + w + "'";
  return join_list(words, " or ");
}

// One unknown word: says so, with the nearest commands or the whole list.
int unknown(const std::string& where, const std::string& word, const std::string& what,
            const std::vector<const CLI::App*>& cmds) {
  auto near = nearest_words(word, names(cmds));
  if (!near.empty()) {
    std::fprintf(stderr, "%s: %s is not %s; did you mean %s?\n", where.c_str(), quote_field(word).c_str(), what.c_str(),
                 quoted_list(near).c_str());
  } else {
    std::fprintf(stderr, "%s: %s is not %s; the choices are:\n%s", where.c_str(), quote_field(word).c_str(),
                 what.c_str(), listing(cmds).c_str());
  }
  return 2;
}

// A long option that the verb does not have. CLI11 would take it for a
// value: with one positional argument it then says "SCENARIO: At Most 1
// required but received 2" or "SCENARIO is required", which does not name
// the option. A word is an option as CLI11 reads it (`--NAME` or
// `--NAME=VALUE`, NAME not starting with '-', '!' or a space), up to a "--"
// that ends the options; the value words of a known option are skipped, as
// CLI11 takes them whatever they look like (`--reason --fraud`). Hidden
// options (old spellings) are accepted but not suggested.
// Returns -1 when every option is known, else 2 after the message.
int unknown_option(const CLI::App& verb, const std::string& where, int argc, const char* const* argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i], name, value;
    if (word == "--") break;
    const CLI::Option* known = nullptr;
    if (CLI::detail::split_long(word, name, value)) {
      known = verb.get_option_no_throw("--" + name);
      if (known && word.find('=') == std::string::npos) i += std::max(0, known->get_items_expected_min());
      if (known) continue;
    } else {
      if (CLI::detail::split_short(word, name, value) && (known = verb.get_option_no_throw("-" + name)) &&
          value.empty())
        i += std::max(0, known->get_items_expected_min());
      continue;  // a short option, a value or a positional argument: CLI11's to judge
    }
    std::vector<std::string> options;
    for (const CLI::Option* o : verb.get_options())
      if (!o->get_group().empty())
        for (const std::string& l : o->get_lnames()) options.push_back("--" + l);
    std::string shown = quote_field("--" + name);
    auto near = nearest_words("--" + name, options);
    if (!near.empty())
      std::fprintf(stderr, "%s: %s is not an option of '%s'; did you mean %s?\n", where.c_str(), shown.c_str(),
                   where.c_str(), quoted_list(near).c_str());
    else
      std::fprintf(stderr, "%s: %s is not an option of '%s'; see '%s --help'\n", where.c_str(), shown.c_str(),
                   where.c_str(), where.c_str());
    return 2;
  }
  return -1;
}

}  // namespace

std::string summary_of(const CLI::App& cmd) {
  std::string d = cmd.get_description();
  d = d.substr(0, d.find('\n'));
  size_t ex = d.find(": telsim ");
  if (ex != std::string::npos) d = d.substr(0, ex);
  while (!d.empty() && (d.back() == ':' || d.back() == ' ')) d.pop_back();
  return d;
}

int check_command_words(const CLI::App& app, int argc, const char* const* argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: telsim NOUN VERB [options]    (telsim NOUN VERB --help for details)\n\n%s",
                 listing(commands(app)).c_str());
    return 2;
  }
  std::string noun = argv[1];
  if (noun.empty() || noun[0] == '-') return -1;  // --help, --version: CLI11's
  const CLI::App* n = nullptr;
  for (auto* c : commands(app, true))
    if (c->get_name() == noun) n = c;
  if (!n) return unknown("telsim", noun, "a telsim command", commands(app));
  auto verbs = commands(*n, true);
  if (verbs.empty()) return unknown_option(*n, "telsim " + noun, argc, argv, 2);  // report, completion, man
  if (argc < 3) {
    std::fprintf(stderr, "usage: telsim %s VERB [options]    (telsim %s VERB --help for details)\n\n%s", noun.c_str(),
                 noun.c_str(), listing(commands(*n)).c_str());
    return 2;
  }
  std::string verb = argv[2];
  if (verb.empty() || verb[0] == '-') return -1;
  for (auto* v : verbs)
    if (v->get_name() == verb) return unknown_option(*v, "telsim " + noun + " " + verb, argc, argv, 3);
  return unknown("telsim " + noun, verb, "a verb of 'telsim " + noun + "'", commands(*n));
}

// ---- completion scripts and man page ----------------------------------------

namespace {

struct Verb {
  std::string noun, verb;
  const CLI::App* app;
};

std::vector<Verb> all_verbs(const CLI::App& app) {
  std::vector<Verb> r;
  for (auto* n : commands(app))
    for (auto* v : commands(*n)) r.push_back({n->get_name(), v->get_name(), v});
  return r;
}

std::string option_words(const CLI::App& cmd) {
  std::string s;
  for (auto* o : cmd.get_options())
    for (auto& l : o->get_lnames()) s += (s.empty() ? "--" : " --") + l;
  for (auto* o : cmd.get_options())
    for (auto& sn : o->get_snames()) s += " -" + sn;
  return s;
}

std::string join_names(const std::vector<const CLI::App*>& cmds) {
  std::string s;
  for (auto* c : cmds) s += (s.empty() ? "" : " ") + c->get_name();
  return s;
}

std::string bash(const CLI::App& app) {
  std::string s =
      "# bash completion for telsim (generated by `telsim completion bash` from the command definitions)\n"
      "_telsim() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} noun=${COMP_WORDS[1]} verb=${COMP_WORDS[2]} words\n"
      "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
      "    words=\"" + join_names(commands(app)) + " --help --version\"\n"
      "  elif [[ $COMP_CWORD -eq 2 ]]; then\n"
      "    case $noun in\n";
  for (auto* n : commands(app)) s += "      " + n->get_name() + ") words=\"" + join_names(commands(*n)) + " --help\" ;;\n";
  s += "    esac\n"
       "  else\n"
       "    case \"$noun $verb\" in\n";
  for (auto& v : all_verbs(app)) s += "      \"" + v.noun + " " + v.verb + "\") words=\"" + option_words(*v.app) + "\" ;;\n";
  s += "    esac\n"
       "    if [[ $cur != -* ]]; then\n"
       "      COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "      return\n"
       "    fi\n"
       "  fi\n"
       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
       "}\n"
       "complete -o filenames -F _telsim telsim\n";
  return s;
}

// zsh: _describe lists with descriptions; ':' and '\' escaped.
std::string zsh_item(const std::string& name, const std::string& desc) {
  std::string d;
  for (char c : desc) {
    if (c == ':' || c == '\\') d += '\\';
    if (c == '\'') {
      d += "'\\''";
      continue;
    }
    d += c;
  }
  return "'" + name + ":" + d + "'";
}

std::string zsh(const CLI::App& app) {
  std::string s =
      "#compdef telsim\n"
      "# zsh completion for telsim (generated by `telsim completion zsh` from the command definitions)\n"
      "_telsim() {\n"
      "  local -a items\n"
      "  if (( CURRENT == 2 )); then\n"
      "    items=(";
  for (auto* n : commands(app)) s += " " + zsh_item(n->get_name(), summary_of(*n));
  s += " )\n"
       "    _describe 'command' items\n"
       "  elif (( CURRENT == 3 )); then\n"
       "    case $words[2] in\n";
  for (auto* n : commands(app)) {
    s += "      " + n->get_name() + ") items=(";
    for (auto* v : commands(*n)) s += " " + zsh_item(v->get_name(), summary_of(*v));
    s += " ) ;;\n";
  }
  s += "    esac\n"
       "    _describe 'verb' items\n"
       "  else\n"
       "    case \"$words[2] $words[3]\" in\n";
  for (auto& v : all_verbs(app)) {
    s += "      \"" + v.noun + " " + v.verb + "\") items=(";
    for (auto* o : v.app->get_options())
      for (auto& l : o->get_lnames()) {
        std::string d = o->get_description();
        s += " " + zsh_item("--" + l, d.substr(0, d.find('\n')));
      }
    s += " ) ;;\n";
  }
  s += "    esac\n"
       "    if [[ $PREFIX == -* ]]; then _describe 'option' items; else _files; fi\n"
       "  fi\n"
       "}\n"
       "_telsim \"$@\"\n";
  return s;
}

// roff: a line starting with '.' or '\'' would be read as a request.
std::string roff(const std::string& text) {
  std::string r;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) r += "\\&";
    if (c == '\\') r += "\\e";
    else if (c == '-') r += "\\-";
    else r += c;
    line_start = c == '\n';
  }
  return r;
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  return shell == "zsh" ? zsh(app) : bash(app);
}

std::string man_page(const CLI::App& app, const std::string& version) {
  std::string s = ".TH TELSIM 1 \"\" \"" + version + "\" \"User Commands\"\n";
  s += ".SH NAME\ntelsim \\- " + roff(app.get_description().substr(app.get_description().find(": ") + 2)) + "\n";
  s += ".SH SYNOPSIS\n.B telsim\n.I NOUN VERB\n[options]\n";
  s += ".SH DESCRIPTION\nOne binary, \\fBtelsim NOUN VERB\\fR. Every command has \\fB\\-\\-help\\fR. "
       "Data go to stdout, diagnostics to stderr.\n";
  s += ".SH COMMANDS\n";
  for (auto* n : commands(app)) {
    s += ".SS " + roff("telsim " + n->get_name()) + "\n" + roff(summary_of(*n)) + "\n";
    for (auto* v : commands(*n)) {
      s += ".TP\n.B " + roff("telsim " + n->get_name() + " " + v->get_name());
      for (auto* o : v->get_options([](const CLI::Option* o) { return o->get_positional(); }))
        s += " " + roff(o->get_name());
      s += "\n" + roff(v->get_description()) + "\n";
      for (auto* o : v->get_options([](const CLI::Option* o) { return o->nonpositional() && o->get_lnames() != std::vector<std::string>{"help"}; })) {
        s += ".RS\n.TP\n.B " + roff(o->get_name(false, true));
        if (o->get_type_size_max() > 0) s += " " + roff(o->get_type_name());
        s += "\n" + roff(o->get_description()) + "\n.RE\n";
      }
    }
  }
  s += ".SH EXIT STATUS\n"
       ".TP\n.B 0\nsuccess (also when the reader of the output quit early, as \\fBhead\\fR does)\n"
       ".TP\n.B 1\nan error of the machine: a write that failed (full disk), a file that could not be read\n"
       ".TP\n.B 2\nbad input or usage: the message says where and what; nothing is written\n"
       ".TP\n.B 3\nreserved for gates that failed\n";
  s += ".SH ENVIRONMENT\n.TP\n.B TELSIM_DB\nthe pool database (default ./telsim.db)\n"
       ".TP\n.B TELSIM_REGISTRY\nthe numbering registry (default numbering.reg)\n";
  return s;
}

}  // namespace telsim::cli
