#pragma once
// The expectation table of the access matrix (pro_space_test.cpp): the six roles, the owners of
// objects, and who may reach each /pro route, written from issue 4 and the pages' documentation,
// never from the declared Access, which is what is under test.
#include <array>
#include <string>
#include <vector>

#include "http/message.h"

namespace passerelle::pro_space::testing {

// ---- the roles and the owners of objects ----

enum class Who { kAnonymous, kMemberA, kMemberB, kCoordinator1, kCoordinator2, kOperator };
inline constexpr std::array<Who, 6> kEveryone = {Who::kAnonymous,    Who::kMemberA,      Who::kMemberB,
                                                 Who::kCoordinator1, Who::kCoordinator2, Who::kOperator};

const char* NameOf(Who who);

// Organization A lies in territory 1, B in territory 2. A guessed id names nothing.
enum class Owner { kA, kB, kGuessed };
inline constexpr std::array<Owner, 3> kOwners = {Owner::kA, Owner::kB, Owner::kGuessed};

const char* NameOf(Owner owner);

bool IsMember(Who who);
bool IsManager(Who who);
// The organization of a member (A or B), the territory of a coordinator (1 → A's, 2 → B's).
Owner HomeOf(Who who);

// ---- the expectation table (independent of the declared policy) ----

// Who may reach a route's handler.
enum class Rule {
  kAnyone,              // sign-in and invitation pages: anonymous visitors too
  kSignedIn,            // any signed-in role
  kMembers,             // any member (the page shows their own organizations only)
  kManagers,            // coordinators and operators (the page shows their scope only)
  kMemberOfOwner,       // a member of the organization owning every object named in the path
  kManagerOfOwner,      // a coordinator of the territory of every object named, or an operator;
                        // the objects must exist
  kEditorOfOwner,       // kMemberOfOwner or kManagerOfOwner
  kOperators,           // operators only (creating a territory, the national figures)
  kOperatorOfExisting,  // operators only, on objects that exist (editing, archiving a territory)
};

struct Expectation {
  http::Method method;
  std::string pattern;
  Rule rule;
};

inline constexpr http::Method GET = http::Method::kGet;
inline constexpr http::Method POST = http::Method::kPost;

// One line per route and method: issue 4 §1-3, §8-9; docs/accounts.md, docs/referral.md,
// docs/organization-profile.md. Coordinators and operators never reach a referral (§2).
const std::vector<Expectation>& ExpectedAccess();

// Whether the rule is about the objects named in the path.
bool ObjectRule(Rule rule);

// Whether `who` may reach a route of `rule` whose path names objects of `owners`.
bool Expected(Rule rule, Who who, const std::vector<Owner>& owners);

}  // namespace passerelle::pro_space::testing
