#pragma once
// Who a call to one of the operator's numbers is credited to: the session
// whose lease held the number, the static channel it was bound to, or the
// reason nobody is (quarantine, overflow, no lease, not in a pool).
#include <cstdint>
#include <memory>
#include <string>

#include "core/base/clock.h"
#include "core/pool/pool.h"
#include "core/pool/pool_store.h"

namespace telsim {

/// Attributes calls as of the database's numbers, pools, history and leases
/// at the time of each call, not now: a replay of last month's calls is
/// credited as it would have been last month.
///
/// Reads only. Holds every number and pool in memory and caches the state
/// history of each number it has seen, so it is for one batch: leases or
/// state changes written after it was made are seen only for numbers it has
/// not looked at yet. Make a new one per batch (CallLog does).
class Attributor {
 public:
  explicit Attributor(PoolStore& store);
  ~Attributor();
  /// Internal id of an owned number, or 0.
  int64_t number_id(const std::string& e164);
  /// The attribution of a call to `number_id` at `at`; `*pool_id` is the pool
  /// credited (0 for none).
  Attribution attribute(int64_t number_id, UnixTime at, int64_t* pool_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telsim
