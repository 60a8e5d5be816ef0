#include "recommend/KnowledgeBase.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "recommend/EmbeddedData.h"
#include "recommend/KnowledgeBaseBuilder.h"

namespace vitarec::recommend {
namespace {

template <typename T>
const T* Find(const std::unordered_map<std::string, std::uint32_t>& ids,
              const std::vector<T>& items, std::string_view id) {
  const auto it = ids.find(std::string(id));
  return it == ids.end() ? nullptr : &items[it->second];
}

}  // namespace

core::Result<std::shared_ptr<const KnowledgeBase>> KnowledgeBase::LoadEmbedded() {
  return LoadFiles(data::EmbeddedFiles());
}

core::Result<std::shared_ptr<const KnowledgeBase>> KnowledgeBase::LoadDirectory(
    const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> paths;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json")
      paths.push_back(fs::relative(it->path(), dir, ec).generic_string());
  }
  if (ec)
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      dir + ": cannot read the knowledge-base directory (" + ec.message() + ")");
  if (paths.empty())
    return core::Fail(core::ErrorCode::kInvalidArgument, dir + ": holds no .json file");
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> contents;
  contents.reserve(paths.size());
  for (const std::string& path : paths) {
    std::ifstream in(fs::path(dir) / path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return core::Fail(core::ErrorCode::kInvalidArgument, path + ": cannot be read");
    contents.push_back(std::move(text).str());
  }
  std::vector<core::EmbeddedFile> files;
  for (std::size_t i = 0; i < paths.size(); ++i) files.push_back({paths[i], contents[i]});
  return LoadFiles(files);
}

core::Result<std::shared_ptr<const KnowledgeBase>> KnowledgeBase::LoadFiles(
    const std::vector<core::EmbeddedFile>& files) {
  KnowledgeBaseBuilder builder;
  std::vector<const core::EmbeddedFile*> sorted;
  for (const auto& f : files)
    if (f.path.ends_with(".json")) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->path < b->path; });
  for (const core::EmbeddedFile* f : sorted) {
    if (auto r = builder.AddFile(f->path, f->content); !r) return core::Fail(r.error());
  }
  return builder.Finish();
}

const Supplement* KnowledgeBase::FindSupplement(std::string_view id) const {
  return Find(supplement_ids_, supplements_, id);
}
const Goal* KnowledgeBase::FindGoal(std::string_view id) const {
  return Find(goal_ids_, goals_, id);
}
const Condition* KnowledgeBase::FindCondition(std::string_view id) const {
  return Find(condition_ids_, conditions_, id);
}
const DrugClass* KnowledgeBase::FindDrugClass(std::string_view id) const {
  return Find(drug_class_ids_, drug_classes_, id);
}
const Drug* KnowledgeBase::FindDrug(std::string_view id) const {
  return Find(drug_ids_, drugs_, id);
}
const Diet* KnowledgeBase::FindDiet(std::string_view id) const {
  return Find(diet_ids_, diets_, id);
}

const std::string& KnowledgeBase::IdOf(const TermRef& ref) const {
  switch (ref.kind) {
    case TermKind::kSupplement:
      return supplements_[ref.index].id;
    case TermKind::kForm:
      return supplements_[ref.index].forms[ref.sub].id;
    case TermKind::kGoal:
      return goals_[ref.index].id;
    case TermKind::kCondition:
      return conditions_[ref.index].id;
    case TermKind::kDrug:
      return drugs_[ref.index].id;
    case TermKind::kDrugClass:
      return drug_classes_[ref.index].id;
    case TermKind::kDiet:
      return diets_[ref.index].id;
  }
  return supplements_[ref.index].id;
}

const LocalizedText& KnowledgeBase::NameOf(const TermRef& ref) const {
  switch (ref.kind) {
    case TermKind::kSupplement:
      return supplements_[ref.index].name;
    case TermKind::kForm:
      return supplements_[ref.index].forms[ref.sub].name;
    case TermKind::kGoal:
      return goals_[ref.index].name;
    case TermKind::kCondition:
      return conditions_[ref.index].name;
    case TermKind::kDrug:
      return drugs_[ref.index].name;
    case TermKind::kDrugClass:
      return drug_classes_[ref.index].name;
    case TermKind::kDiet:
      return diets_[ref.index].name;
  }
  return supplements_[ref.index].name;
}

}  // namespace vitarec::recommend
