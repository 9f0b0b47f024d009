#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "content/library.h"
#include "content/sheet.h"

// A sheet as the territory console's form edits it (docs/territory-console.md "Local sheets"):
// its front matter fields and Markdown body, made into the text of a sheet file and checked by
// the code of `passerelle content check` (SheetLibrary::Load). Problems come back per field.
namespace passerelle::content {

// The form's fields. Lists hold one item a line of their text area.
struct SheetFields {
  std::string slug;
  std::string title;
  std::string summary;
  std::vector<std::string> topics;
  std::string audience;
  std::vector<std::string> legal_references;
  std::vector<std::string> sources;
  std::string written_on;
  std::string reviewed_on;
  std::vector<std::string> related;
  std::string easy_read_of;
  std::string body;
};

// The field names, in the order of the file (the form's ids, the audit's detail).
const std::vector<std::string>& SheetFieldNames();
// The French label of a field ("Sources officielles").
std::string SheetFieldLabel(const std::string& field);

// The fields of a sheet as ParseSheetFile read it (before the load's typography).
SheetFields FieldsOf(const Sheet& parsed);
// The names of the fields that differ between `a` and `b`, comma-separated ("title,body").
std::string ChangedFields(const SheetFields& a, const SheetFields& b);

// Where a line of a composed sheet comes from: its field ("" for the `---` lines) and, for a list
// or the body, the item or the line within it (1-based; 0 for the field's own line).
struct LineOrigin {
  std::string field;
  int index = 0;
};

// The text of a sheet file for `fields`: scalar values quoted on one line (a line break typed
// in one becomes a space), lists as `  - item` lines, then the body. `origins[i]` is where line
// i + 1 comes from.
std::string ComposeSheet(const SheetFields& fields, std::vector<LineOrigin>* origins = nullptr);

// A problem of the checks put on the form: `field` is one of SheetFieldNames() or "" when it
// is not about one field (shown on the error summary only); `message` in French names the field,
// and the item or the line.
struct FieldProblem {
  std::string field;
  std::string message;
};

struct LocalSheetCheck {
  SheetLibrary library;  // to be served only when `problems` is empty
  std::vector<FieldProblem> problems;
};

// Loads `content_dir` with the console's sheets `local` (SheetLibrary::Load, the checks of
// `content check`) and puts each problem of the sheet `candidate` (a LocalSheet of `local`
// composed by ComposeSheet with `origins`) on its field; any other problem is not a field's.
LocalSheetCheck CheckLocalSheets(const std::filesystem::path& content_dir, const std::vector<LocalSheet>& local,
                                 const LocalSheet* candidate = nullptr, const std::vector<LineOrigin>& origins = {});

}  // namespace passerelle::content
