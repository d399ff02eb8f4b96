#include "core/base/spelling.h"

#include <algorithm>
#include <utility>

namespace telsim {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::vector<std::string> nearest_words(const std::string& word, const std::vector<std::string>& candidates,
                                       size_t max_distance) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (auto& c : candidates) {
    // The word starts the candidate ("chan" for "channels"), or the
    // candidate of three letters or more starts the word ("start" for "start_hours").
    bool prefix = (word.size() >= 2 && c.compare(0, word.size(), word) == 0) ||
                  (c.size() >= 3 && word.compare(0, c.size(), c) == 0);
    size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (c == word) continue;
    // Past 64 bytes a word is no misspelling of a name, and the table would
    // grow with the square of its length.
    if (!prefix && (word.size() > 64 || c.size() > 64)) continue;
    if (!prefix && gap > max_distance) continue;  // at least `gap` edits apart
    size_t d = prefix ? 1 : edit_distance(word, c);
    if ((d <= max_distance && d < std::max(c.size(), word.size())) || prefix) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> r;
  for (auto& [d, c] : scored)
    if (d == scored.front().first) r.push_back(c);
  return r;
}

}  // namespace telsim
