#include "help/kept_step.h"

namespace passerelle::help {

namespace {

const std::string* StringAt(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? &found->get_ref<const std::string&>() : nullptr;
}

}  // namespace

nlohmann::json KeptStepJson(const KeptStep& step) {
  nlohmann::json kept = {{"v", kKeptStepFormat}, {"locale", step.locale}};
  if (step.expired) {
    kept["expired"] = *step.expired;
    return kept;
  }
  kept["token"] = step.token;
  if (step.error) {
    nlohmann::json places = nlohmann::json::array();
    for (const PlaceOption& o : step.error->places) places.push_back({o.insee_code, o.label});
    kept["error"] = {{"field", step.error->field}, {"message", step.error->message}, {"places", std::move(places)}};
  }
  return kept;
}

std::optional<KeptStep> ReadKeptStep(const nlohmann::json& kept) {
  if (!kept.is_object()) return std::nullopt;
  const auto version = kept.find("v");
  if (version == kept.end() || !version->is_number_integer() || *version != kKeptStepFormat) return std::nullopt;
  const std::string* locale = StringAt(kept, "locale");
  if (locale == nullptr) return std::nullopt;
  KeptStep step;
  step.locale = *locale;
  if (const std::string* expired = StringAt(kept, "expired")) {
    step.expired = *expired;
    return step;
  }
  const std::string* token = StringAt(kept, "token");
  if (token == nullptr || token->empty()) return std::nullopt;
  step.token = *token;
  if (const auto error = kept.find("error"); error != kept.end() && error->is_object()) {
    AnswerError refused;
    if (const std::string* field = StringAt(*error, "field")) refused.field = *field;
    if (const std::string* message = StringAt(*error, "message")) refused.message = *message;
    if (const auto places = error->find("places"); places != error->end() && places->is_array()) {
      for (const nlohmann::json& place : *places) {
        if (place.is_array() && place.size() == 2 && place[0].is_string() && place[1].is_string()) {
          refused.places.push_back({place[0].get<std::string>(), place[1].get<std::string>()});
        }
      }
    }
    step.error = std::move(refused);
  }
  return step;
}

}  // namespace passerelle::help
