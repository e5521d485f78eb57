#include <nlohmann/json.hpp>

#include "bauhinia/lightclient/fetch.hpp"

namespace bauhinia::lightclient {

namespace {
using core::Reject;
using core::reject;
using json = nlohmann::json;
}  // namespace

std::string to_json(const SavedAnswers& saved) {
  json answers = json::array();
  for (const auto& [target, answer] : saved.answers) {
    answers.push_back(json{{"target", target}, {"status", answer.status}, {"body", answer.body}});
  }
  json request = json::parse(saved.request_json, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) request = nullptr;
  const json doc{{"format", SavedAnswers::kFormat},
                 {"node", saved.node},
                 {"request", std::move(request)},
                 {"answers", std::move(answers)}};
  return doc.dump(1) + "\n";
}

core::Checked<SavedAnswers> parse_saved_answers(std::string_view text) {
  if (text.size() > kMaxSavedFileBytes) {
    return reject(Reject::kTooLarge, "a saved proof file is at most " +
                                         std::to_string(kMaxSavedFileBytes >> 20) + " MiB");
  }
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return reject(Reject::kBadEncoding, "not a JSON object");
  }
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() ||
      format->get<std::string>() != SavedAnswers::kFormat) {
    return reject(Reject::kBadVersion,
                  "format must be \"" + std::string(SavedAnswers::kFormat) + "\"");
  }
  SavedAnswers saved;
  auto node = doc.find("node");
  if (node == doc.end() || !node->is_string() ||
      node->get<std::string>().size() > kMaxTargetBytes) {
    return reject(Reject::kInvalid, "node must be a string (the node's address)");
  }
  saved.node = node->get<std::string>();
  auto request = doc.find("request");
  if (request == doc.end() || !request->is_object()) {
    return reject(Reject::kInvalid, "request must be an object");
  }
  saved.request_json = request->dump();
  auto answers = doc.find("answers");
  if (answers == doc.end() || !answers->is_array() || answers->size() > kMaxSavedAnswers) {
    return reject(Reject::kInvalid, "answers must be an array of at most " +
                                        std::to_string(kMaxSavedAnswers) + " answers");
  }
  for (std::size_t i = 0; i < answers->size(); ++i) {
    const json& a = (*answers)[i];
    const std::string where = "answers[" + std::to_string(i) + "]";
    if (!a.is_object() || !a.contains("target") || !a["target"].is_string() ||
        !a.contains("status") || !a["status"].is_number_unsigned() || !a.contains("body") ||
        !a["body"].is_string()) {
      return reject(Reject::kInvalid,
                    where + " must be {\"target\": string, \"status\": integer, \"body\": string}");
    }
    const std::string target = a["target"].get<std::string>();
    const std::uint64_t status = a["status"].get<std::uint64_t>();
    if (target.size() > kMaxTargetBytes || status > 999) {
      return reject(Reject::kOutOfRange, where + ": target over 4096 bytes or status over 999");
    }
    saved.answers.emplace(target,
                          NodeAnswer{static_cast<unsigned>(status), a["body"].get<std::string>()});
  }
  return saved;
}

Fetch recording(Fetch inner, SavedAnswers& into) {
  return [inner = std::move(inner),
          &into](const std::string& target) -> core::Expected<NodeAnswer, FetchError> {
    auto answer = inner(target);
    if (answer) into.answers.emplace(target, *answer);
    return answer;
  };
}

Fetch replaying(const SavedAnswers& saved) {
  return [&saved](const std::string& target) -> core::Expected<NodeAnswer, FetchError> {
    auto it = saved.answers.find(target);
    if (it == saved.answers.end()) {
      return FetchError{"the saved file holds no answer to GET " + target, true};
    }
    return it->second;
  };
}

}  // namespace bauhinia::lightclient
