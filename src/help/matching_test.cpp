#include "help/matching.h"

#include <gtest/gtest.h>

#include <map>

namespace passerelle::help {
namespace {

using directory::Accessibility;
using directory::Category;
using namespace std::chrono_literals;

// Wednesday 15 January 2025 (UTC+1 in Paris) at `hh:mm` Paris time.
TimePoint ParisWednesday(int hh, int mm = 0) {
  return std::chrono::sys_days{std::chrono::year{2025} / 1 / 15} + std::chrono::hours{hh - 1} +
         std::chrono::minutes{mm};
}

Candidate Make(const std::string& id, std::vector<Category> categories, double km) {
  Candidate c;
  c.organization_id = id;
  c.organization_name = "Structure " + id;
  c.service_id = id + "-s1";
  c.categories = std::move(categories);
  c.distance_km = km;
  c.commune = "Berck";
  c.open = OpenState::kClosed;
  return c;
}

MatchRequest Needs(std::vector<std::string> needs) {
  MatchRequest request;
  request.needs = std::move(needs);
  request.contact_channel = "phone";
  return request;
}

std::vector<std::string> Ids(const std::vector<Proposal>& proposals) {
  std::vector<std::string> ids;
  for (const Proposal& p : proposals) ids.push_back(p.organization_id);
  return ids;
}

TEST(Matching, NeedsMapToCategories) {
  EXPECT_EQ(CategoriesFor("legal").primary.front(), Category::kLegalAdvice);
  EXPECT_EQ(CategoriesFor("lawyer").primary.front(), Category::kLawyer);
  EXPECT_EQ(CategoriesFor("complaint").primary, (std::vector{Category::kPolice, Category::kGendarmerie}));
  EXPECT_EQ(CategoriesFor("housing").primary.front(), Category::kShelter);
  EXPECT_EQ(CategoriesFor("medical").primary.front(), Category::kForensicUnit);
  EXPECT_EQ(CategoriesFor("children").primary.front(), Category::kChildProtection);
  EXPECT_EQ(CategoriesFor("no-such-need").primary.front(), Category::kVictimSupportAssociation) << "the \"other\" row";
}

TEST(Matching, NearerFirstAmongOtherwiseEqualPlaces) {
  const auto ranked =
      RankCandidates(Needs({"legal"}),
                     {Make("far", {Category::kLegalAdvice}, 12), Make("near", {Category::kLegalAdvice}, 0.8),
                      Make("mid", {Category::kLegalAdvice}, 6)},
                     42, PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"near", "mid", "far"}));
  EXPECT_EQ(ranked.front().explanation, "à 800 m · juriste");
}

TEST(Matching, PrimaryCategoryBeatsSecondary) {
  const auto ranked = RankCandidates(
      Needs({"lawyer"}), {Make("juriste", {Category::kLegalAdvice}, 1), Make("avocat", {Category::kLawyer}, 1.5)}, 7,
      PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"avocat", "juriste"}));
}

TEST(Matching, OpenNowComesFirstAndCanBeCalled) {
  Candidate open = Make("open", {Category::kLegalAdvice}, 3);
  open.open = OpenState::kOpen;
  open.opening = Phrase{"ouvert aujourd'hui jusqu'à {time}", "", -1, 17 * 60};
  open.phone = "03 99 00 20 01";
  Candidate soon = Make("soon", {Category::kLegalAdvice}, 3);
  soon.open = OpenState::kOpensSoon;
  soon.phone = "03 99 00 20 02";
  Candidate closed = Make("closed", {Category::kLegalAdvice}, 3);
  closed.phone = "03 99 00 20 03";
  for (std::uint64_t seed : {1U, 2U, 3U, 4U}) {
    const auto ranked = RankCandidates(Needs({"legal"}), {closed, soon, open}, seed, PlaceKnown::kYes);
    ASSERT_EQ(Ids(ranked), (std::vector<std::string>{"open", "soon", "closed"})) << seed;
    EXPECT_TRUE(ranked[0].call_now);
    EXPECT_FALSE(ranked[1].call_now) << "not open now: no \"Appeler maintenant\"";
    EXPECT_FALSE(ranked[2].call_now);
    EXPECT_EQ(ranked[0].explanation, "à 3,0 km · juriste · ouvert aujourd'hui jusqu'à 17 h");
  }
  open.phone.clear();
  EXPECT_FALSE(RankCandidates(Needs({"legal"}), {open}, 1, PlaceKnown::kYes).front().call_now) << "no phone";
}

TEST(Matching, HerLanguageOutranksANearerPlace) {
  MatchRequest request = Needs({"legal"});
  request.language = "ar";
  Candidate near = Make("near", {Category::kLegalAdvice}, 0.5);
  near.languages = {"fr"};
  Candidate arabic = Make("arabic", {Category::kLegalAdvice}, 2.3);
  arabic.languages = {"fr", "ar"};
  arabic.open = OpenState::kOpen;
  arabic.opening = Phrase{"ouvert aujourd'hui jusqu'à {time}", "", -1, 17 * 60};
  const auto ranked = RankCandidates(request, {near, arabic}, 3, PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"arabic", "near"}));
  EXPECT_EQ(ranked.front().explanation, "à 2,3 km · juriste · ouvert aujourd'hui jusqu'à 17 h · parle arabe");
  request.language = "fr";
  EXPECT_EQ(RankCandidates(request, {near, arabic}, 3, PlaceKnown::kYes).back().explanation.find("parle"),
            std::string::npos);
}

TEST(Matching, OtherLanguagePrefersAnInterpreterAndAccessibilityAsked) {
  MatchRequest request = Needs({"psychological"});
  request.language = "other";
  request.accessibility = {Accessibility::kWheelchair};
  Candidate plain = Make("plain", {Category::kPsychologist}, 1);
  Candidate interpreter = Make("interpreter", {Category::kPsychologist}, 1);
  interpreter.accessibility = {Accessibility::kInterpreter};
  Candidate wheelchair = Make("wheelchair", {Category::kPsychologist}, 1);
  wheelchair.accessibility = {Accessibility::kWheelchair};
  const auto ranked = RankCandidates(request, {plain, interpreter, wheelchair}, 9, PlaceKnown::kYes);
  ASSERT_EQ(ranked.size(), 3U);
  EXPECT_EQ(ranked.back().organization_id, "plain");
  for (const Proposal& p : ranked) {
    if (p.organization_id == "interpreter") {
      EXPECT_EQ(p.explanation, "à 1,0 km · psychologue · interprète sur demande");
    }
    if (p.organization_id == "wheelchair") {
      EXPECT_EQ(p.explanation, "à 1,0 km · psychologue · accessible en fauteuil roulant");
    }
  }
}

TEST(Matching, AcceptsReferralsOnlyMattersWhenSheWantsToBeContacted) {
  Candidate referrals = Make("referrals", {Category::kVictimSupportAssociation}, 1);
  referrals.accepts_referrals = true;
  Candidate other = Make("other", {Category::kVictimSupportAssociation}, 1);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(RankCandidates(Needs({"listen"}), {other, referrals}, seed, PlaceKnown::kYes).front().organization_id,
              "referrals");
  }
  MatchRequest name_only = Needs({"listen"});
  name_only.contact_channel = "none";
  std::map<std::string, int> first;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    ++first[RankCandidates(name_only, {other, referrals}, seed, PlaceKnown::kYes).front().organization_id];
  }
  EXPECT_GT(first["other"], 50) << "equivalent when she only wants a name";
  EXPECT_GT(first["referrals"], 50);
}

TEST(Matching, ChildrenAtRiskPreferServicesForChildren) {
  MatchRequest request = Needs({"housing"});
  request.children_at_risk = true;
  Candidate adults = Make("adults", {Category::kShelter}, 1);
  Candidate families = Make("families", {Category::kShelter}, 8);
  families.handles_children = true;
  const auto ranked = RankCandidates(request, {adults, families}, 5, PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"families", "adults"}));
  EXPECT_NE(ranked.front().explanation.find("accueille aussi les enfants"), std::string::npos);
  request.children_at_risk = false;
  EXPECT_EQ(RankCandidates(request, {adults, families}, 5, PlaceKnown::kYes).front().organization_id, "adults");
}

TEST(Matching, RotationIsDeterministicAndFairAmongEquivalentPlaces) {
  std::vector<Candidate> equivalent;
  for (const char* id : {"a", "b", "c", "d", "e"}) equivalent.push_back(Make(id, {Category::kLawyer}, 1.2));
  const auto once = RankCandidates(Needs({"lawyer"}), equivalent, 12345, PlaceKnown::kYes);
  EXPECT_EQ(Ids(once), Ids(RankCandidates(Needs({"lawyer"}), equivalent, 12345, PlaceKnown::kYes)))
      << "same seed, same answer";
  EXPECT_EQ(once.size(), kMaxProposals) << "one recommended and three alternatives";

  std::map<std::string, int> first;
  constexpr int kSeeds = 5000;
  for (int seed = 0; seed < kSeeds; ++seed) {
    ++first[RankCandidates(Needs({"lawyer"}), equivalent, RotationSeed("token-" + std::to_string(seed)),
                           PlaceKnown::kYes)
                .front()
                .organization_id];
  }
  ASSERT_EQ(first.size(), 5U);
  for (const auto& [id, count] : first) {
    EXPECT_GT(count, kSeeds / 5 * 8 / 10) << id << " is recommended too rarely";
    EXPECT_LT(count, kSeeds / 5 * 12 / 10) << id << " is recommended too often";
  }
}

TEST(Matching, RotationNeverOverridesABetterPlace) {
  Candidate better = Make("better", {Category::kLawyer}, 1);
  better.open = OpenState::kOpen;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    EXPECT_EQ(RankCandidates(Needs({"lawyer"}), {Make("x", {Category::kLawyer}, 1), better}, seed, PlaceKnown::kYes)
                  .front()
                  .organization_id,
              "better");
  }
}

TEST(Matching, ConfidentialPlaceShowsItsCommuneOnly) {
  MatchRequest request = Needs({"housing"});
  Candidate shelter = Make("shelter", {Category::kShelter}, 2.34);
  shelter.confidential = true;
  shelter.commune = "Berck";
  shelter.open = OpenState::kOpen;
  shelter.opening = Phrase{"ouvert 24 h/24"};
  shelter.phone = "03 99 00 20 19";
  const auto ranked = RankCandidates(request, {shelter}, 1, PlaceKnown::kYes);
  ASSERT_EQ(ranked.size(), 1U);
  EXPECT_EQ(ranked.front().explanation, "à Berck (adresse confidentielle) · hébergement · ouvert 24 h/24");
  EXPECT_EQ(ranked.front().explanation.find("km"), std::string::npos);
  EXPECT_TRUE(ranked.front().call_now) << "the phone is the way in";
}

TEST(Matching, UnknownPlaceShowsCommunesNotDistances) {
  const auto ranked = RankCandidates(Needs({"legal"}), {Make("a", {Category::kLegalAdvice}, 4)}, 1, PlaceKnown::kNo);
  EXPECT_EQ(ranked.front().explanation, "à Berck · juriste");
}

TEST(Matching, NothingFitsGivesNothing) {
  EXPECT_TRUE(RankCandidates(Needs({"legal"}), {}, 1, PlaceKnown::kYes).empty());
  EXPECT_TRUE(RankCandidates(Needs({"housing"}),
                             {Make("police", {Category::kPolice}, 1), Make("interpreter", {Category::kInterpreter}, 1)},
                             1, PlaceKnown::kYes)
                  .empty())
      << "no category of her needs: nobody, never a filler";
}

TEST(Matching, AnOrganizationIsProposedOnceAtItsBestPlace) {
  Candidate far = Make("same", {Category::kLegalAdvice}, 30);
  Candidate near = Make("same", {Category::kLegalAdvice}, 1);
  near.service_id = "same-near";
  const auto ranked =
      RankCandidates(Needs({"legal"}), {far, near, Make("other", {Category::kLegalAdvice}, 15)}, 1, PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"same", "other"}));
  EXPECT_EQ(ranked.front().service_id, "same-near");
}

TEST(Matching, OpeningPhrasesInParisTime) {
  const auto weekdays = directory::OpeningHours::Parse("Mo-Fr 09:00-12:00,13:30-17:00");
  ASSERT_TRUE(weekdays);
  EXPECT_EQ(FrenchText(OpeningPhrase(weekdays.value(), ParisWednesday(14))), "ouvert aujourd'hui jusqu'à 17 h");
  EXPECT_EQ(FrenchText(OpeningPhrase(weekdays.value(), ParisWednesday(10))), "ouvert aujourd'hui jusqu'à 12 h");
  EXPECT_EQ(FrenchText(OpeningPhrase(weekdays.value(), ParisWednesday(12, 15))), "ouvre aujourd'hui à 13 h 30");
  EXPECT_EQ(FrenchText(OpeningPhrase(weekdays.value(), ParisWednesday(18))), "ouvre demain à 9 h");
  EXPECT_EQ(FrenchText(OpeningPhrase(weekdays.value(), ParisWednesday(18) + 48h)), "ouvre lundi à 9 h");
  EXPECT_EQ(OpenStateAt(weekdays.value(), ParisWednesday(14)), OpenState::kOpen);
  EXPECT_EQ(OpenStateAt(weekdays.value(), ParisWednesday(7)), OpenState::kOpensSoon);
  EXPECT_EQ(OpenStateAt(weekdays.value(), ParisWednesday(18) + 48h), OpenState::kClosed) << "Friday evening";

  const auto always = directory::OpeningHours::Parse("24/7");
  ASSERT_TRUE(always);
  EXPECT_EQ(FrenchText(OpeningPhrase(always.value(), ParisWednesday(3))), "ouvert 24 h/24");
  const auto night = directory::OpeningHours::Parse("Mo-Su 22:00-02:00");
  ASSERT_TRUE(night);
  EXPECT_EQ(FrenchText(OpeningPhrase(night.value(), ParisWednesday(23))), "ouvert jusqu'à demain 2 h");
  EXPECT_EQ(FrenchText(OpeningPhrase(directory::OpeningHours{}, ParisWednesday(10))), "");
  EXPECT_EQ(OpenStateAt(directory::OpeningHours{}, ParisWednesday(10)), OpenState::kNotProvided);
}

// The explanation in another language: each phrase through the catalog, numbers and times in
// that language's format, place names untouched, untranslated phrases left in French.
TEST(Matching, ExplanationRenderedInTheVisitorsLanguage) {
  const std::map<std::string, std::string> english = {
      {"à {distance}", "{distance} away"},
      {"juriste", "legal adviser"},
      {"ouvre {day} à {time}", "opens {day} at {time}"},
      {"lundi", "Monday"},
      {"parle {language}", "speaks {language}"},
      {"arabe", "Arabic"},
  };
  const TranslateFn translate = [&english](const std::string& msgid) {
    const auto found = english.find(msgid);
    return found == english.end() ? msgid : found->second;
  };
  const std::vector<Phrase> parts = {
      Phrase{"à {distance}", "", 2.345},
      Phrase{"juriste"},
      Phrase{"ouvre {day} à {time}", "", -1, 9 * 60 + 30, "lundi"},
      Phrase{"parle {language}", "", -1, -1, "arabe"},
      Phrase{"à {commune} (adresse confidentielle)", "Berck"},
  };
  EXPECT_EQ(RenderPhrases(parts, translate, "en"),
            "2.3 km away · legal adviser · opens Monday at 9:30 · speaks Arabic · à Berck (adresse confidentielle)");
  EXPECT_EQ(FrenchText(parts),
            "à 2,3 km · juriste · ouvre lundi à 9 h 30 · parle arabe · à Berck (adresse confidentielle)");
  EXPECT_EQ(FrenchText(Phrase{}), "") << "an empty phrase (hours unknown) adds nothing";
}

TEST(Matching, RequestReadsAnAccessibilityAnswerWhenAFlowAsksIt) {
  const Answers answers = {{"needs", {"legal"}}, {"accessibility", {"wheelchair", "nonsense"}}};
  EXPECT_EQ(MatchRequestFrom(answers).accessibility, (std::vector{Accessibility::kWheelchair}));
}

TEST(Matching, RotationSeedDependsOnTheToken) {
  EXPECT_EQ(RotationSeed("abc"), RotationSeed("abc"));
  EXPECT_NE(RotationSeed("abc"), RotationSeed("abd"));
}

TEST(Matching, WithoutDirectoryNothingIsProposed) {
  const MatchResult result = ProposeProfessionals(Needs({"legal"}), MatchDirectory{}, nullptr, 1, ParisWednesday(10));
  EXPECT_EQ(result.outcome, MatchOutcome::kUnavailable);
  EXPECT_TRUE(result.proposals.empty());
}

TEST(Matching, HerSafeTimesOutrankOpenNowAndAreExplained) {
  // She can only be reached in the evening: a Saturday-morning service open right now comes
  // after one open in the evening, and the explanation says why.
  MatchRequest request = Needs({"legal"});
  request.times = {"evening"};
  Candidate saturday = Make("saturday", {Category::kLegalAdvice}, 1);
  saturday.open = OpenState::kOpen;
  saturday.open_windows = {"morning"};
  Candidate evening = Make("evening", {Category::kLegalAdvice}, 6);
  evening.open_windows = {"afternoon", "evening"};
  const auto ranked = RankCandidates(request, {saturday, evening}, 7, PlaceKnown::kYes);
  EXPECT_EQ(Ids(ranked), (std::vector<std::string>{"evening", "saturday"}));
  // Further away (14 km against 1) and not accepting referrals: still first.
  evening.distance_km = 14;
  saturday.accepts_referrals = true;
  EXPECT_EQ(Ids(RankCandidates(request, {saturday, evening}, 7, PlaceKnown::kYes)).front(), "evening");
  // Hours not given: neither bonus nor penalty, below one open in her times.
  Candidate unknown = Make("unknown", {Category::kLegalAdvice}, 1);
  unknown.open = OpenState::kNotProvided;
  EXPECT_EQ(Ids(RankCandidates(request, {saturday, unknown}, 7, PlaceKnown::kYes)).front(), "unknown");
  EXPECT_EQ(ranked.front().explanation, "à 6,0 km · juriste · ouvert le soir");
  // "À tout moment": no preference, open now counts again.
  request.times = {"anytime"};
  EXPECT_EQ(Ids(RankCandidates(request, {saturday, evening}, 7, PlaceKnown::kYes)).front(), "saturday");
  // Read from the contact answer.
  const MatchRequest read = MatchRequestFrom({{"contact", {{"channel", "sms"}, {"times", {"midday", "evening"}}}}});
  EXPECT_EQ(read.times, (std::vector<std::string>{"midday", "evening"}));
}

TEST(Matching, OpenWindowsFromTheWeeksHours) {
  const auto hours = [](const std::string& text) { return directory::OpeningHours::Parse(text).value(); };
  EXPECT_EQ(OpenWindows(hours("Sa 09:00-12:00"), ParisWednesday(15)), (std::vector<std::string>{"morning"}));
  EXPECT_EQ(OpenWindows(hours("Mo-Fr 09:00-19:00"), ParisWednesday(15)),
            (std::vector<std::string>{"morning", "midday", "afternoon", "evening"}));
  EXPECT_EQ(OpenWindows(hours("Tu 13:30-14:00"), ParisWednesday(15)), (std::vector<std::string>{"midday"}));
  EXPECT_TRUE(OpenWindows(directory::OpeningHours{}, ParisWednesday(15)).empty());
}

TEST(Matching, TheServicesOwnPhoneNotAnEmergencyNumber) {
  using directory::Phone;
  using directory::PhoneType;
  EXPECT_EQ(
      ServicePhone({Phone{"17", PhoneType::kVoice, "urgence"}, Phone{"01 99 00 10 14", PhoneType::kVoice, "accueil"}}),
      "01 99 00 10 14");
  EXPECT_EQ(ServicePhone({Phone{"06 99 00 10 20", PhoneType::kText, "SMS"}, Phone{"3919", PhoneType::kVoice, ""}}),
            "3919")
      << "a national line whose only number is short";
  EXPECT_EQ(ServicePhone({}), "");
}

}  // namespace
}  // namespace passerelle::help
