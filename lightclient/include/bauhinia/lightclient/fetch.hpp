#pragma once
// How the verifier reads a node's answers: a Fetch function from a request
// target ("/v1/ledger-info", "/v1/state/accounts/01ab?height=4") to the
// node's answer. Online it is an HTTP GET; offline it replays the answers a
// previous run saved (SavedAnswers), so the same verifier runs on both.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "bauhinia/core/status.hpp"

namespace bauhinia::lightclient {

// Bounds on anything read from a node or from a saved file.
inline constexpr std::size_t kMaxAnswerBytes = 16U << 20;
inline constexpr std::size_t kMaxSavedFileBytes = 256U << 20;
inline constexpr std::size_t kMaxSavedAnswers = 100'000;
inline constexpr std::size_t kMaxTargetBytes = 4096;

// An HTTP answer: its status code and body, exactly as received.
struct NodeAnswer {
  unsigned status = 0;
  std::string body;
};

// No answer at all: the node could not be reached, the connection failed or
// timed out (`missing_from_file`: a saved file holds no answer for the target).
struct FetchError {
  std::string message;
  bool missing_from_file = false;
};

using Fetch = std::function<core::Expected<NodeAnswer, FetchError>(const std::string& target)>;

// The answers of one verification, to verify again offline
// (`verify --save FILE`, then `verify --file FILE`). The file is JSON:
//   {"format": "bauhinia-wallet-verify/1", "node": URL, "request": {...},
//    "answers": [{"target": "/v1/...", "status": 200, "body": "<exact body>"}, ...]}
// The request is Request's JSON form (light_client.hpp); nothing in the file is
// trusted: it is verified as the node's answers would be.
struct SavedAnswers {
  static constexpr std::string_view kFormat = "bauhinia-wallet-verify/1";

  std::string node;          // where the answers came from, for messages
  std::string request_json;  // the verification asked for (a JSON object, as text)
  std::map<std::string, NodeAnswer, std::less<>> answers;  // by target; the first answer kept
};

std::string to_json(const SavedAnswers& saved);
// A rejection names what is wrong with the file (malformed JSON, a missing or
// mistyped field, over a limit).
core::Checked<SavedAnswers> parse_saved_answers(std::string_view text);

// A Fetch that calls `inner` and records each answer (not transport errors)
// into `into`, which must outlive it.
Fetch recording(Fetch inner, SavedAnswers& into);
// A Fetch that answers from `saved` (which must outlive it): a target it does
// not hold is a FetchError with missing_from_file.
Fetch replaying(const SavedAnswers& saved);

}  // namespace bauhinia::lightclient
