// Assembles a KnowledgeBase from its files: parses each one (KnowledgeBaseParser.h), then, in
// Finish, checks the whole and builds the query index. Single use: AddFile any number of times,
// then Finish once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Error.h"
#include "recommend/KnowledgeBase.h"

namespace vitarec::recommend {

class KnowledgeBaseBuilder {
 public:
  KnowledgeBaseBuilder();

  // Parses one file (`path` as it should appear in messages). A file is one JSON object whose
  // keys are any of "supplements", "goals", "conditions", "drug_classes", "drugs", "diets", each an
  // array of entries. Errors (kInvalidArgument): "<path>: <place>: <reason>", where place is a
  // JSON path ("supplements[2].dose.unit") or "line L, column C" for malformed JSON.
  core::Result<void> AddFile(std::string_view path, std::string_view content);

  // Sorts every list by id and checks: ids are snake_case and unique, every reference resolves,
  // at least one supplement and one goal exist, no alias names two entries. Errors as AddFile.
  core::Result<std::shared_ptr<const KnowledgeBase>> Finish();

 private:
  // Where an entry was read, for messages about it.
  struct Origin {
    std::string file;
    std::string place;
  };
  template <typename T>
  struct Entries {
    std::vector<T> items;
    std::vector<Origin> origins;
  };

  core::Result<void> CheckReferences() const;
  // A form's own dose keeps the supplement's unit; what it contains names real entries.
  core::Result<void> CheckForms(const Supplement& s, const Origin& o) const;
  // Rejects unknown parents and cycles, then fills the KnowledgeBase's closure tables.
  core::Result<void> BuildClassHierarchy();
  core::Result<void> IndexAliases();

  std::unique_ptr<KnowledgeBase> kb_;
  Entries<Supplement> supplements_;
  Entries<Goal> goals_;
  Entries<Condition> conditions_;
  Entries<DrugClass> drug_classes_;
  Entries<Drug> drugs_;
  Entries<Diet> diets_;
};

}  // namespace vitarec::recommend
