#pragma once
// Rendering Graphviz DOT (core/net/graph.h) to SVG with Graphviz's `dot`
// program (Debian package graphviz), run as a subprocess: telsim links no
// Graphviz library, and needs the program only when an SVG is asked for.
#include <string>

#include "core/base/error.h"

namespace telsim::graphviz {

/// Graphviz's `dot` is not on the PATH. Bad input for the command (exit 2):
/// the user asked for a format this machine cannot make, and nothing is written.
struct NotInstalled : InputError {
  NotInstalled();
};

/// The SVG `dot -Tsvg` makes of `dot_text`. The program is found on the PATH
/// and run without a shell (no argument comes from the user). Graphviz's
/// generator comment, which holds its version, is removed; the rest is
/// Graphviz's own output, the same bytes for the same input on one Graphviz.
/// Throws NotInstalled when `dot` is missing, std::runtime_error with
/// Graphviz's message when it fails or is killed.
std::string render_svg(const std::string& dot_text);

/// True when `dot` can be started (what render_svg needs).
bool installed();

/// The <svg> element of an SVG document, without the XML declaration, the
/// DOCTYPE and the comments before it: what an HTML page inlines.
std::string svg_element(const std::string& svg);

}  // namespace telsim::graphviz
