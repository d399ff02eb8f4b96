#pragma once
// "Did you mean": the words nearest a misspelt one, for messages about
// command words, options, gate paths and the keys of a user's TOML file.
#include <string>
#include <vector>

namespace telsim {

/// Optimal string alignment distance: insertions, deletions, replacements
/// and swaps of two neighbouring letters ("erlnag") each cost one.
size_t edit_distance(const std::string& a, const std::string& b);

/// The candidates within `max_distance` edits of `word`, or having it as a
/// prefix, or (three letters or more) a prefix of it, closest first (all of
/// the closest distance). A candidate whose
/// length differs from the word's by more than `max_distance` and that the
/// word does not start is skipped without a table (a key may be megabytes).
std::vector<std::string> nearest_words(const std::string& word, const std::vector<std::string>& candidates,
                                       size_t max_distance = 2);

}  // namespace telsim
