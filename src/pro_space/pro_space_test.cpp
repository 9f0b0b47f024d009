// The generated access matrix of the whole professional space (issue 4 §8), on SQLite and
// PostgreSQL: every route `serve` declares (RegisterProSpace, the very function serve calls) ×
// the six roles × objects of each owner (organization A's, organization B's, a guessed id), sent
// through the real router, pipeline, sessions and ownership resolvers, and compared with an
// expectation table written here from the issue and the pages' documentation — never from the
// declared Access, which is what is under test.
//
// "Reached" means the policy let the handler run: ProRoutes reports each handler call
// (ObserveHandlerCalls). A handler may still answer 404 itself (an unknown invitation link, a
// service of another organization): that is not a denial by the policy, and a denial by the
// policy is not a handler's 404.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <array>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "accounts/password_policy.h"
#include "accounts/secrets.h"
#include "accounts/service.h"
#include "accounts/totp.h"
#include "conversation/hub.h"
#include "directory/model.h"
#include "directory/sample_organization.h"
#include "directory/service.h"
#include "http/pipeline.h"
#include "pro_space/expected_access.h"
#include "pro_space/pro_space.h"
#include "profile/service.h"
#include "referral/report.h"
#include "referral/service.h"
#include "referral/workflow.h"
#include "storage/testing.h"

namespace passerelle::pro_space {
namespace {

using accounts::Role;
using std::chrono::system_clock;
using namespace std::chrono_literals;

using testing::Expectation;
using testing::Expected;
using testing::ExpectedAccess;
using testing::GET;
using testing::HomeOf;
using testing::IsManager;
using testing::IsMember;
using testing::kEveryone;
using testing::kOwners;
using testing::NameOf;
using testing::ObjectRule;
using testing::Owner;
using testing::POST;
using testing::Rule;
using testing::Who;

constexpr const char* kPassword = "quatre hiboux sous la lune";

std::vector<std::string> ParamsOf(const std::string& pattern) {
  std::vector<std::string> params;
  static const std::regex param(R"(\{([a-z_]+)\})");
  for (auto it = std::sregex_iterator(pattern.begin(), pattern.end(), param); it != std::sregex_iterator(); ++it) {
    params.push_back((*it)[1]);
  }
  return params;
}

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '/')) out.push_back(segment);
  return out;
}

directory::Organization MakeOrganization(const std::string& id, const std::string& territory) {
  return directory::testing::SampleOrganization(id, territory, "accueil@" + id + ".example.org");
}

struct LinkCount {
  std::size_t checked = 0;
  std::size_t unknown = 0;  // links naming an object the fixture cannot attribute to A or B
};

// ---- the fixture: the professional space exactly as serve registers it ----

class ProSpaceTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    spdlog::set_level(spdlog::level::warn);  // not one request log line per cell
    now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));
    const accounts::Clock clock = [this] { return now_; };
    const auto assets = storage::testing::AssetsDir();
    static_files_.AddDirectory(assets / "static", "/static");
    renderer_ = std::make_unique<http::Renderer>(assets / "templates", static_files_, translator_,
                                                 http::SiteSettings{false, "/sortie", "/pro"});
    server_key_ = std::make_unique<core::ServerKey>(core::ServerKey::FromBytes(std::string(32, 'k')));
    csrf_ = std::make_unique<http::CsrfGuard>(server_key_->Derive("csrf"));
    directory_ = std::make_unique<directory::DirectoryService>(*db_);
    {
      soci::session sql(db_->pool());
      for (const std::string slug : {"territoire-1", "territoire-2"}) {
        sql << "INSERT INTO territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, "
               "languages, youth_services, emergency_contacts, is_demo, created_at, updated_at) VALUES "
               "(:slug, 'Territoire', 48.87, 2.36, 5, 'https://example.org/', 'fr', '[]', '[]', 0, 0, 0)",
            soci::use(slug);
      }
    }
    ASSERT_TRUE(directory_->Create(MakeOrganization("org-a", "territoire-1"), now_));
    ASSERT_TRUE(directory_->Create(MakeOrganization("org-b", "territoire-2"), now_));

    accounts::AccountsSettings settings;
    settings.public_url = "http://passerelle.test";
    settings.data_dir = dir_.string();
    space_ = RegisterProSpace(router_, *renderer_, *csrf_, *db_, *server_key_, *directory_, settings, clock,
                              ConsoleOptions{5, {}, console::WordingSettings{assets / "content", {}, {}}, {}});
    // serve's pipeline, with a POST limit that the matrix's hundreds of POSTs do not reach.
    pipeline_ = std::make_unique<http::Pipeline>(router_, static_files_, *renderer_, *csrf_,
                                                 http::PipelineOptions{256 * 1024, 1'000'000}, clock);
    pipeline_->SetCsrfScope([this](const http::Request& request) { return space_->routes().CsrfScope(request); });
    space_->routes().ObserveHandlerCalls([this](std::size_t index) { reached_.push_back(index); });

    // Accounts as a fresh install makes them: `user add`, invitation (password, TOTP), sign-in.
    password_policy_ = std::make_unique<accounts::PasswordPolicy>(std::vector<std::string>{});
    hashes_ = std::make_unique<accounts::HashLimiter>(2);
    accounts_ =
        std::make_unique<accounts::AccountService>(*db_, *server_key_, *password_policy_, *hashes_, space_->sessions(),
                                                   clock, accounts::AccountsConfig{dir_ / "demo-keys", 5000ms});
    Enrol(Who::kMemberA, "membre@a.example.org", Role::kMember, "org-a", "");  // creates A's keys
    Enrol(Who::kMemberB, "membre@b.example.org", Role::kMember, "org-b", "");
    Enrol(Who::kCoordinator1, "coordination@t1.example.org", Role::kCoordinator, "", "territoire-1");
    Enrol(Who::kCoordinator2, "coordination@t2.example.org", Role::kCoordinator, "", "territoire-2");
    Enrol(Who::kOperator, "exploitation@example.org", Role::kOperator, "", "");
    if (HasFatalFailure()) return;
    for (const Who who : kEveryone) {
      if (who != Who::kAnonymous) SignIn(who);
    }
    if (HasFatalFailure()) return;

    // Objects of A and B (and ids guessed next to them).
    // Invited colleagues: their accounts ({account}) and their invitation links ({token}).
    const auto colleague_a = accounts_->AddUser({"collegue@a.example.org", Role::kMember, "org-a", "", 72h});
    const auto colleague_b = accounts_->AddUser({"collegue@b.example.org", Role::kMember, "org-b", "", 72h});
    ASSERT_TRUE(colleague_a.ok() && colleague_b.ok());
    objects_["account"] = {{Owner::kA, colleague_a.value().account_id},
                           {Owner::kB, colleague_b.value().account_id},
                           {Owner::kGuessed, Guess(colleague_a.value().account_id)}};
    objects_["token"] = {{Owner::kA, colleague_a.value().token},
                         {Owner::kB, colleague_b.value().token},
                         {Owner::kGuessed, core::Base64UrlEncode(core::RandomBytes(32))}};
    objects_["organization"] = {{Owner::kA, "org-a"}, {Owner::kB, "org-b"}, {Owner::kGuessed, "org-c"}};
    objects_["territory"] = {
        {Owner::kA, "territoire-1"}, {Owner::kB, "territoire-2"}, {Owner::kGuessed, "territoire-3"}};
    objects_["service"] = {{Owner::kA, "org-a-s1"}, {Owner::kB, "org-b-s1"}, {Owner::kGuessed, "org-a-s2"}};

    // A referral to A and one to B, sealed by the real referral service.
    referral::ReferralService referrals(*db_, referral::ReferralKeys::From(*server_key_));
    std::map<Owner, std::string> referral_ids;
    for (const auto& [owner, org] : {std::pair{Owner::kA, "org-a"}, std::pair{Owner::kB, "org-b"}}) {
      referral::Report report;
      report.safe_contact = {{"contact", "Comment la contacter", "Par SMS seulement"}};
      report.message = "canari-matrice";
      report.handover_consent = true;
      const auto sent = referrals.Send(
          referral::SendRequest{"flow-" + std::string(org), owner == Owner::kA ? "territoire-1" : "territoire-2", org,
                                std::string(org) + "-s1", referral::ToJson(report).dump(), true,
                                referral::SummaryJson({"Conseil juridique", "Paris 10e"})},
          now_);
      ASSERT_TRUE(sent.ok()) << sent.error().internal_detail;
      referral_ids[owner] = sent.value().id;
    }
    referral_ids[Owner::kGuessed] = Guess(referral_ids[Owner::kA]);
    objects_["id"] = referral_ids;

    // A pending change request of A and one of B (new notification addresses).
    profile::ProfileService profiles(*db_, *directory_);
    std::map<Owner, std::string> change_ids;
    for (const auto& [owner, who, org] :
         {std::tuple{Owner::kA, Who::kMemberA, "org-a"}, std::tuple{Owner::kB, Who::kMemberB, "org-b"}}) {
      const profile::Actor actor{account_ids_.at(who), profile::Role::kMember, {org}, ""};
      const auto change =
          profiles.RequestAddressChange(actor, org, "alertes@" + std::string(org) + ".example.org", now_);
      ASSERT_TRUE(change.ok()) << change.error().internal_detail;
      change_ids[owner] = change.value().id;
    }
    change_ids[Owner::kGuessed] = Guess(change_ids[Owner::kA]);
    objects_["change"] = change_ids;

    // A live conversation waiting at A's desk and one at B's (src/conversation), by their desk ids.
    std::map<Owner, std::string> desk_ids;
    for (const auto& [owner, org, territory] :
         {std::tuple{Owner::kA, "org-a", "territoire-1"}, std::tuple{Owner::kB, "org-b", "territoire-2"}}) {
      conversation::Opening opening;
      opening.organization_id = org;
      opening.territory_slug = territory;
      ASSERT_TRUE(space_->conversations().Open(opening, now_).ok());
      const auto queue = space_->conversations().Queue({org}, now_);
      ASSERT_EQ(queue.size(), 1u);
      desk_ids[owner] = queue.front().desk_id;
    }
    desk_ids[Owner::kGuessed] = Guess(desk_ids[Owner::kA]);
    objects_["conversation"] = desk_ids;
  }

  // A well-formed id that names nothing: a real one with its last character changed.
  static std::string Guess(std::string id) {
    id.back() = id.back() == '0' ? '1' : '0';
    return id;
  }

  void Enrol(Who who, const std::string& email, Role role, const std::string& org, const std::string& territory) {
    const auto added = accounts_->AddUser({email, role, org, territory, 72h});
    ASSERT_TRUE(added.ok()) << added.error().internal_detail;
    const std::string& token = added.value().token;
    ASSERT_TRUE(accounts_->CompletePasswordStep(token, kPassword, kPassword, "192.0.2.1").ok());
    const auto pending = accounts_->PendingTotp(token);
    ASSERT_TRUE(pending.ok());
    ASSERT_TRUE(
        accounts_->ConfirmTotp(token, accounts::TotpCode(pending.value().secret, accounts::TotpStep(now_))).ok());
    account_ids_[who] = added.value().account_id;
    emails_[who] = email;
    totp_secrets_[who] = pending.value().secret;
  }

  // A real sign-in (password + the next TOTP code): a new session in tokens_.
  void SignIn(Who who) {
    now_ += 30s;  // a code is never accepted twice: the next step
    const auto result = accounts_->Login(
        {emails_.at(who), kPassword, accounts::TotpCode(totp_secrets_.at(who), accounts::TotpStep(now_)), "192.0.2.1"});
    ASSERT_EQ(result.outcome, accounts::LoginResult::Outcome::kSignedIn) << NameOf(who);
    tokens_[who] = result.session_token;
  }

  std::optional<accounts::Principal> Session(Who who) {
    if (who == Who::kAnonymous) return std::nullopt;
    http::Request request;
    request.path = "/pro/accueil";
    request.headers.emplace_back("cookie", space_->routes().cookie().Name() + "=" + tokens_.at(who));
    return space_->routes().Authenticate(request);
  }

  http::Response Send(http::Method method, const std::string& path, Who who) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.remote_address = "192.0.2.1";
    request.request_id = "matrix";
    std::string csrf = csrf_->Issue("public", now_);
    if (who != Who::kAnonymous) {
      request.headers.emplace_back("cookie", "autre=1; " + space_->routes().cookie().Name() + "=" + tokens_.at(who));
      const auto principal = Session(who);
      csrf = principal ? principal->csrf_token : "";
    }
    if (method == POST) {
      // The right CSRF token and no field: a reached handler answers what it answers to an
      // empty form (usually 400), without changing much.
      request.headers.emplace_back("sec-fetch-site", "same-origin");
      request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
      request.body = "_csrf=" + csrf;
    }
    return pipeline_->Handle(request);
  }

  // The owner of a value of a path parameter, when the fixture knows it (the role accounts
  // too: a coordinator's account lies in its territory, a member's in its organization).
  std::optional<Owner> OwnerOfValue(const std::string& param, const std::string& value) const {
    if (const auto objects = objects_.find(param); objects != objects_.end()) {
      for (const auto& [owner, id] : objects->second) {
        if (id == value) return owner;
      }
    }
    if (param == "account") {
      for (const Who who : {Who::kMemberA, Who::kMemberB, Who::kCoordinator1, Who::kCoordinator2}) {
        if (account_ids_.at(who) == value) return HomeOf(who);
      }
    }
    if (param == "change") {  // requests made by the matrix's own POSTs (…/cle)
      if (const auto change = profile::ProfileService(*db_, *directory_).FindChange(value)) {
        if (change->organization_id == "org-a") return Owner::kA;
        if (change->organization_id == "org-b") return Owner::kB;
      }
    }
    return std::nullopt;
  }

  std::string PathOf(const std::string& pattern, const std::vector<std::string>& params,
                     const std::vector<Owner>& owners) {
    std::string path = pattern;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string placeholder = "{" + params[i] + "}";
      path.replace(path.find(placeholder), placeholder.size(), objects_.at(params[i]).at(owners[i]));
    }
    return path;
  }

  system_clock::time_point now_;
  http::StaticFiles static_files_;
  http::Translator translator_{http::DefaultLocaleDir()};
  std::unique_ptr<http::Renderer> renderer_;
  std::unique_ptr<core::ServerKey> server_key_;
  std::unique_ptr<http::CsrfGuard> csrf_;
  std::unique_ptr<directory::DirectoryService> directory_;
  http::Router router_;
  std::unique_ptr<ProSpace> space_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::unique_ptr<accounts::PasswordPolicy> password_policy_;
  std::unique_ptr<accounts::HashLimiter> hashes_;
  std::unique_ptr<accounts::AccountService> accounts_;

  void CheckLinks(const std::string& body, Who who, const std::string& page,
                  const std::map<std::pair<http::Method, std::string>, Rule>& rules, LinkCount& count);

  std::vector<std::size_t> reached_;  // indexes of the routes whose handler ran
  std::map<Who, std::string> account_ids_, emails_, totp_secrets_, tokens_;
  std::map<std::string, std::map<Owner, std::string>> objects_;  // path parameter → owner → id
};

// Every link (GET), form (POST) and GET form (`method="get" action=…`, the filters of a list) of a page that `who` was
// shown, matched against the declared routes: each must lead to a route of the table that `who` may reach for those
// objects. A page never offers a role a link it would get a 404 for, and never links to an undeclared /pro page.
void ProSpaceTest::CheckLinks(const std::string& body, Who who, const std::string& page,
                              const std::map<std::pair<http::Method, std::string>, Rule>& rules, LinkCount& count) {
  static const std::regex link(R"re((href|method="get" action|action)="(/pro(?:/[^"?#]*)?)(?:[?#][^"]*)?")re");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), link); it != std::sregex_iterator(); ++it) {
    const http::Method method = (*it)[1] == "action" ? POST : GET;
    const std::string target = (*it)[2];
    const std::vector<std::string> segments = Segments(target);
    bool matched = false;
    for (const auto& [key, rule] : rules) {
      if (key.first != method) continue;
      const std::vector<std::string> pattern = Segments(key.second);
      if (pattern.size() != segments.size()) continue;
      std::vector<Owner> owners;
      bool same = true, known = true;
      for (std::size_t i = 0; i < pattern.size() && same; ++i) {
        if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
          const auto owner = OwnerOfValue(pattern[i].substr(1, pattern[i].size() - 2), segments[i]);
          if (owner) owners.push_back(*owner);
          known = known && owner.has_value();
        } else {
          same = pattern[i] == segments[i];
        }
      }
      if (!same) continue;
      matched = true;
      ++count.checked;
      if (!known) {
        ++count.unknown;
      } else {
        EXPECT_TRUE(Expected(rule, who, owners))
            << page << ": offers " << NameOf(who) << " " << http::MethodName(method) << " " << target
            << ", which the table denies";
      }
      break;
    }
    EXPECT_TRUE(matched) << page << ": links to an undeclared route " << http::MethodName(method) << " " << target;
  }
}

#define SKIP_IF_NEEDED() \
  if (IsSkipped() || HasFatalFailure()) return

TEST_P(ProSpaceTest, TheTableNamesEveryDeclaredRouteAndNothingElse) {
  SKIP_IF_NEEDED();
  const auto& declared = space_->routes().Routes();
  std::set<std::pair<http::Method, std::string>> declared_set;
  for (const accounts::DeclaredRoute& route : declared) {
    EXPECT_TRUE(declared_set.emplace(route.method, route.pattern).second)
        << "declared twice: " << http::MethodName(route.method) << " " << route.pattern;
  }
  std::set<std::pair<http::Method, std::string>> expected_set;
  for (const Expectation& line : ExpectedAccess()) {
    EXPECT_TRUE(expected_set.emplace(line.method, line.pattern).second)
        << "two lines for " << http::MethodName(line.method) << " " << line.pattern;
    EXPECT_TRUE(declared_set.count({line.method, line.pattern}))
        << "the table names a route serve does not declare: " << http::MethodName(line.method) << " " << line.pattern;
    EXPECT_EQ(ObjectRule(line.rule), !ParamsOf(line.pattern).empty() && line.rule != Rule::kAnyone)
        << "an ownership rule needs an object in the path, and only it: " << line.pattern;
  }
  for (const auto& [method, pattern] : declared_set) {
    EXPECT_TRUE(expected_set.count({method, pattern}))
        << "a declared route has no line in the expectation table: " << http::MethodName(method) << " " << pattern;
    for (const std::string& param : ParamsOf(pattern)) {
      EXPECT_TRUE(objects_.count(param)) << "no objects of A and B for {" << param << "} in " << pattern;
    }
  }
  // One line per declared route, one declared route per line.
  EXPECT_EQ(declared.size(), ExpectedAccess().size());
}

// Classes under load (DESIGN §9, docs/load-shedding.md): the signed-in pages are the inbox
// class; what runs Argon2id is the login class, the last but one; the anonymous forms are public.
TEST_P(ProSpaceTest, EachRouteHasItsClassUnderLoad) {
  SKIP_IF_NEEDED();
  const std::set<std::pair<http::Method, std::string>> argon2 = {
      {POST, "/pro"},
      {POST, "/pro/invitation/{token}"},
      {POST, "/pro/invitation/{token}/totp"},
      {POST, "/pro/mot-de-passe"},
      {POST, "/pro/organisations/{organization}/recuperation"},
  };
  for (const accounts::DeclaredRoute& route : space_->routes().Routes()) {
    http::Priority expected = http::Priority::kInbox;
    if (argon2.count({route.method, route.pattern})) {
      expected = http::Priority::kLogin;
    } else if (route.access.anonymous) {
      expected = http::Priority::kPublic;
    }
    EXPECT_EQ(http::PriorityName(route.priority), http::PriorityName(expected))
        << http::MethodName(route.method) << " " << route.pattern;
    // The router serves each with the class it was declared with.
    std::string path = route.pattern;
    for (const std::string& param : ParamsOf(route.pattern)) {
      const std::string placeholder = "{" + param + "}";
      path.replace(path.find(placeholder), placeholder.size(), "x");
    }
    EXPECT_EQ(http::PriorityName(router_.PriorityOf(route.method, path)), http::PriorityName(expected)) << path;
  }
}

// The matrix's fixture is the real thing: members' sessions opened by a real sign-in hold their
// organization's key and decrypt a referral sealed by the referral service; managers' never do.
TEST_P(ProSpaceTest, TheFixtureSignsInForRealAndSealsForReal) {
  SKIP_IF_NEEDED();
  const http::Response opened = Send(GET, "/pro/demandes/" + objects_.at("id").at(Owner::kA), Who::kMemberA);
  ASSERT_EQ(opened.status, 200);
  const auto safe_contact = opened.body.find("Par SMS seulement");
  ASSERT_NE(safe_contact, std::string::npos);
  EXPECT_LT(safe_contact, opened.body.find("canari-matrice")) << "safe-contact instructions first";
  for (const Who who : {Who::kMemberA, Who::kMemberB, Who::kCoordinator1, Who::kOperator}) {
    const auto principal = Session(who);
    ASSERT_TRUE(principal) << NameOf(who);
    const bool member = IsMember(who);
    EXPECT_EQ(space_->sessions().OrganizationKey(*principal, who == Who::kMemberB ? "org-b" : "org-a").has_value(),
              member)
        << NameOf(who);
  }
}

TEST_P(ProSpaceTest, EveryRouteTimesEveryRoleTimesEveryOwner) {
  SKIP_IF_NEEDED();
  const auto& declared = space_->routes().Routes();
  std::map<std::pair<http::Method, std::string>, Rule> rules;
  for (const Expectation& line : ExpectedAccess()) rules[{line.method, line.pattern}] = line.rule;

  std::size_t cells = 0, unexpected_allows = 0, unexpected_denials = 0, allowed = 0, sign_ins = 0;
  LinkCount links;
  for (std::size_t index = 0; index < declared.size(); ++index) {
    const accounts::DeclaredRoute route = declared[index];
    const auto rule = rules.find({route.method, route.pattern});
    ASSERT_NE(rule, rules.end()) << route.pattern << " (see TheTableNamesEveryDeclaredRouteAndNothingElse)";
    const std::vector<std::string> params = ParamsOf(route.pattern);
    // Every combination of owners of the objects named (3^k; one cell without objects).
    std::size_t combinations = 1;
    for (std::size_t i = 0; i < params.size(); ++i) combinations *= kOwners.size();
    for (std::size_t c = 0; c < combinations; ++c) {
      std::vector<Owner> owners;
      std::string owners_label;
      for (std::size_t i = 0, rest = c; i < params.size(); ++i, rest /= kOwners.size()) {
        owners.push_back(kOwners[rest % kOwners.size()]);
        owners_label += (i ? ", " : "") + params[i] + " of " + NameOf(owners.back());
      }
      const std::string path = PathOf(route.pattern, params, owners);
      for (const Who who : kEveryone) {
        ++cells;
        reached_.clear();
        const http::Response response = Send(route.method, path, who);
        const bool reached = !reached_.empty();
        const bool expected = Expected(rule->second, who, owners);
        const std::string cell = std::string(http::MethodName(route.method)) + " " + path + " (" + route.pattern +
                                 (owners_label.empty() ? "" : "; " + owners_label) + ") as " + NameOf(who) +
                                 ": status " + std::to_string(response.status);
        if (reached && route.method == GET && response.status == 200 && who != Who::kAnonymous) {
          CheckLinks(response.body, who, cell, rules, links);
        }
        if (reached) {
          ++allowed;
          EXPECT_EQ(reached_, std::vector<std::size_t>{index}) << cell << ": another handler ran";
          EXPECT_LT(response.status, 500) << cell;
        } else if (who == Who::kAnonymous) {
          // Denied for want of a session: GET → 303 to /pro, POST → 401.
          EXPECT_EQ(response.status, route.method == GET ? 303 : 401) << cell;
          if (route.method == GET) {
            EXPECT_EQ(response.Header("Location").value_or(""), "/pro") << cell;
          }
        } else {
          // Denied when signed in: the site's ordinary 404, no cookie change.
          EXPECT_EQ(response.status, 404) << cell;
          EXPECT_FALSE(response.Header("Set-Cookie")) << cell;
        }
        if (reached && !expected) {
          ++unexpected_allows;
          ADD_FAILURE() << "unexpected allow: " << cell;
        }
        if (!reached && expected) {
          ++unexpected_denials;
          ADD_FAILURE() << "unexpected denial: " << cell;
        }
        // A cell may end the role's session (sign-out): sign in again, and count it.
        if (who != Who::kAnonymous && !Session(who)) {
          EXPECT_EQ(route.pattern, "/pro/deconnexion") << cell << " ended the session";
          ++sign_ins;
          SignIn(who);
          ASSERT_FALSE(HasFatalFailure());
        }
      }
    }
  }
  std::cout << "[ matrix   ] " << declared.size() << " routes, " << cells << " cells (route × owners × 6 roles), "
            << allowed << " allowed, " << unexpected_allows << " unexpected allows, " << unexpected_denials
            << " unexpected denials; " << links.checked << " links and forms of the pages checked against the "
            << "table (" << links.unknown << " naming objects the fixture does not own)\n";
  RecordProperty("cells", static_cast<int>(cells));
  EXPECT_EQ(unexpected_allows, 0u);
  EXPECT_EQ(unexpected_denials, 0u);
  EXPECT_GT(links.checked, 100u);
  EXPECT_EQ(sign_ins, 5u) << "only sign-out ends a session here, once per signed-in role";
  // Not vacuous: every route has cells, and the policy both allows and denies.
  EXPECT_GE(cells, declared.size() * kEveryone.size());
  EXPECT_GT(allowed, 0u);
  EXPECT_LT(allowed, cells);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProSpaceTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::pro_space
