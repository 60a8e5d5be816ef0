#include "recommend/KnowledgeBaseBuilder.h"

#include <algorithm>
#include <boost/json/stream_parser.hpp>
#include <numeric>
#include <set>

#include "recommend/KnowledgeBaseParser.h"

namespace vitarec::recommend {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using core::Fail;

core::Error At(const std::string& file, const std::string& place, const std::string& reason) {
  return core::MakeError(ErrorCode::kInvalidArgument, file + ": " + place + ": " + reason,
                         file + ":" + place);
}

bool IsSnakeCase(std::string_view id) {
  if (id.empty() || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Parses JSON text; a syntax error is reported with its line and column.
core::Result<json::value> ParseJson(std::string_view path, std::string_view content) {
  json::parse_options options;
  options.max_depth = 32;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const std::size_t consumed = parser.write(content.data(), content.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    const std::size_t at = std::min(consumed, content.size());
    const std::string_view before = content.substr(0, at);
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t last_newline = before.rfind('\n');
    const std::size_t column = last_newline == std::string_view::npos ? at + 1 : at - last_newline;
    return Fail(At(std::string(path),
                   "line " + std::to_string(line) + ", column " + std::to_string(column),
                   "malformed JSON (" + ec.message() + ")"));
  }
  return parser.release();
}

// Sorts entries (and their origins) by id and rejects bad or repeated ids.
template <typename T, typename E>
core::Result<void> SortById(E& entries, std::string_view kind) {
  std::vector<std::size_t> order(entries.items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return entries.items[a].id < entries.items[b].id;
  });
  E sorted;
  for (std::size_t i : order) {
    const T& item = entries.items[i];
    const auto& origin = entries.origins[i];
    if (!IsSnakeCase(item.id))
      return Fail(At(origin.file, origin.place + ".id",
                     "\"" + item.id + "\" must be snake_case ([a-z][a-z0-9_]*)"));
    if (!sorted.items.empty() && sorted.items.back().id == item.id) {
      const auto& first = sorted.origins.back();
      return Fail(At(origin.file, origin.place + ".id",
                     "the " + std::string(kind) + " id \"" + item.id + "\" is also used at " +
                         first.file + ": " + first.place));
    }
    sorted.items.push_back(std::move(entries.items[i]));
    sorted.origins.push_back(origin);
  }
  entries = std::move(sorted);
  return {};
}

template <typename T>
std::unordered_map<std::string, std::uint32_t> IdMap(const std::vector<T>& items) {
  std::unordered_map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < items.size(); ++i)
    ids.emplace(items[i].id, static_cast<std::uint32_t>(i));
  return ids;
}

}  // namespace

KnowledgeBaseBuilder::KnowledgeBaseBuilder() : kb_(new KnowledgeBase()) {}

core::Result<void> KnowledgeBaseBuilder::AddFile(std::string_view path, std::string_view content) {
  auto doc = ParseJson(path, content);
  if (!doc) return Fail(doc.error());
  const std::string file(path);
  if (!doc->is_object()) return Fail(At(file, "(top)", "must be a JSON object"));
  JsonReader reader(file);
  const json::object& top = doc->get_object();
  reader.OnlyKeys(top, {"supplements", "goals", "conditions", "drug_classes", "drugs", "diets"},
                  "");
  const auto read_all = [&](std::string_view key, auto& entries, auto parse) {
    const auto items = reader.Objects(top, key, "", /*required=*/false);
    for (std::size_t i = 0; i < items.size() && reader.ok(); ++i) {
      const std::string place = JsonReader::Index(key, i);
      entries.items.push_back(parse(reader, *items[i], place));
      entries.origins.push_back({file, place});
    }
  };
  read_all("supplements", supplements_, ParseSupplement);
  read_all("goals", goals_, ParseGoal);
  read_all("conditions", conditions_, ParseCondition);
  read_all("drug_classes", drug_classes_, ParseDrugClass);
  read_all("drugs", drugs_, ParseDrug);
  read_all("diets", diets_, ParseDiet);
  if (!reader.ok()) return Fail(reader.error());
  return {};
}

core::Result<std::shared_ptr<const KnowledgeBase>> KnowledgeBaseBuilder::Finish() {
  if (auto r = SortById<Supplement>(supplements_, "supplement"); !r) return Fail(r.error());
  if (auto r = SortById<Goal>(goals_, "goal"); !r) return Fail(r.error());
  if (auto r = SortById<Condition>(conditions_, "condition"); !r) return Fail(r.error());
  if (auto r = SortById<DrugClass>(drug_classes_, "drug class"); !r) return Fail(r.error());
  if (auto r = SortById<Drug>(drugs_, "drug"); !r) return Fail(r.error());
  if (auto r = SortById<Diet>(diets_, "diet"); !r) return Fail(r.error());
  if (supplements_.items.empty() || goals_.items.empty())
    return Fail(ErrorCode::kInvalidArgument,
                "the knowledge base needs at least one supplement and one goal");
  for (std::size_t i = 0; i < drugs_.items.size(); ++i) {
    const auto clash =
        std::lower_bound(drug_classes_.items.begin(), drug_classes_.items.end(), drugs_.items[i].id,
                         [](const DrugClass& c, const std::string& id) { return c.id < id; });
    if (clash != drug_classes_.items.end() && clash->id == drugs_.items[i].id)
      return Fail(At(drugs_.origins[i].file, drugs_.origins[i].place + ".id",
                     "\"" + drugs_.items[i].id + "\" is also a drug class id"));
  }
  kb_->supplement_ids_ = IdMap(supplements_.items);
  kb_->goal_ids_ = IdMap(goals_.items);
  kb_->condition_ids_ = IdMap(conditions_.items);
  kb_->drug_class_ids_ = IdMap(drug_classes_.items);
  kb_->drug_ids_ = IdMap(drugs_.items);
  kb_->diet_ids_ = IdMap(diets_.items);
  if (auto r = CheckReferences(); !r) return Fail(r.error());
  if (auto r = BuildClassHierarchy(); !r) return Fail(r.error());
  kb_->supplements_ = std::move(supplements_.items);
  kb_->goals_ = std::move(goals_.items);
  kb_->conditions_ = std::move(conditions_.items);
  kb_->drug_classes_ = std::move(drug_classes_.items);
  kb_->drugs_ = std::move(drugs_.items);
  kb_->diets_ = std::move(diets_.items);
  if (auto r = IndexAliases(); !r) return Fail(r.error());
  return std::shared_ptr<const KnowledgeBase>(std::move(kb_));
}

core::Result<void> KnowledgeBaseBuilder::CheckReferences() const {
  const auto missing = [](const Origin& o, const std::string& place, std::string_view kind,
                          const std::string& id) {
    return Fail(At(o.file, o.place + place, "unknown " + std::string(kind) + " \"" + id + "\""));
  };
  for (std::size_t i = 0; i < supplements_.items.size(); ++i) {
    const Supplement& s = supplements_.items[i];
    const Origin& o = supplements_.origins[i];
    std::set<std::string> seen;
    for (std::size_t k = 0; k < s.forms.size(); ++k) {
      if (!IsSnakeCase(s.forms[k].id) || !seen.insert(s.forms[k].id).second)
        return Fail(At(o.file, o.place + ".forms[" + std::to_string(k) + "].id",
                       "\"" + s.forms[k].id + "\" must be snake_case and unique"));
    }
    if (auto r = CheckForms(s, o); !r) return r;
    seen.clear();
    for (std::size_t k = 0; k < s.evidence.size(); ++k) {
      const std::string place = ".evidence[" + std::to_string(k) + "].goal";
      if (!kb_->goal_ids_.contains(s.evidence[k].goal))
        return missing(o, place, "goal", s.evidence[k].goal);
      if (!seen.insert(s.evidence[k].goal).second)
        return Fail(
            At(o.file, o.place + place, "the goal \"" + s.evidence[k].goal + "\" is graded twice"));
    }
    for (std::size_t k = 0; k < s.contraindications.size(); ++k) {
      if (!kb_->condition_ids_.contains(s.contraindications[k].condition))
        return missing(o, ".contraindications[" + std::to_string(k) + "].condition", "condition",
                       s.contraindications[k].condition);
    }
    for (std::size_t k = 0; k < s.interactions.size(); ++k) {
      const std::string& target = s.interactions[k].target;
      if (!kb_->drug_ids_.contains(target) && !kb_->drug_class_ids_.contains(target))
        return missing(o, ".interactions[" + std::to_string(k) + "].with", "drug or drug class",
                       target);
    }
  }
  const auto check_suggests = [&](const auto& entries) -> core::Result<void> {
    for (std::size_t i = 0; i < entries.items.size(); ++i) {
      const auto& suggests = entries.items[i].suggests;
      for (std::size_t k = 0; k < suggests.size(); ++k) {
        if (!kb_->supplement_ids_.contains(suggests[k].supplement))
          return missing(entries.origins[i], ".suggests[" + std::to_string(k) + "].supplement",
                         "supplement", suggests[k].supplement);
      }
    }
    return {};
  };
  if (auto r = check_suggests(conditions_); !r) return r;
  for (std::size_t i = 0; i < conditions_.items.size(); ++i) {
    const std::string& goal = conditions_.items[i].goal;
    if (!goal.empty() && !kb_->goal_ids_.contains(goal))
      return missing(conditions_.origins[i], ".goal", "goal", goal);
  }
  if (auto r = check_suggests(diets_); !r) return r;
  for (std::size_t i = 0; i < drugs_.items.size(); ++i) {
    const auto& classes = drugs_.items[i].classes;
    for (std::size_t k = 0; k < classes.size(); ++k) {
      if (!kb_->drug_class_ids_.contains(classes[k]))
        return missing(drugs_.origins[i], ".classes[" + std::to_string(k) + "]", "drug class",
                       classes[k]);
    }
  }
  return {};
}

core::Result<void> KnowledgeBaseBuilder::CheckForms(const Supplement& s, const Origin& o) const {
  for (std::size_t k = 0; k < s.forms.size(); ++k) {
    const Form& form = s.forms[k];
    const std::string place = o.place + ".forms[" + std::to_string(k) + "]";
    // The intake tables are in the supplement's unit, so a form's own dose must be too.
    if (form.dose && (form.dose->unit != s.dose.unit || form.dose->frequency != s.dose.frequency))
      return Fail(At(o.file, place + ".dose",
                     "must keep the supplement's unit \"" + s.dose.unit + "\" and frequency"));
    for (std::size_t c = 0; c < form.contains.size(); ++c) {
      const Content& content = form.contains[c];
      const std::string at = place + ".contains[" + std::to_string(c) + "]";
      const auto it = kb_->supplement_ids_.find(content.supplement);
      if (it == kb_->supplement_ids_.end() || content.supplement == s.id)
        return Fail(At(o.file, at + ".supplement",
                       "\"" + content.supplement + "\" must be another supplement's id"));
      if (content.form.empty()) continue;
      const auto& forms = supplements_.items[it->second].forms;
      if (std::none_of(forms.begin(), forms.end(),
                       [&](const Form& f) { return f.id == content.form; }))
        return Fail(At(o.file, at + ".form",
                       "\"" + content.form + "\" is not a form of \"" + content.supplement + "\""));
    }
  }
  return {};
}

core::Result<void> KnowledgeBaseBuilder::BuildClassHierarchy() {
  const auto& classes = drug_classes_.items;
  const std::size_t n = classes.size();
  std::vector<std::vector<std::uint32_t>> parents(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < classes[i].parents.size(); ++k) {
      const auto it = kb_->drug_class_ids_.find(classes[i].parents[k]);
      if (it == kb_->drug_class_ids_.end() || it->second == i)
        return Fail(At(drug_classes_.origins[i].file,
                       drug_classes_.origins[i].place + ".parents[" + std::to_string(k) + "]",
                       "\"" + classes[i].parents[k] + "\" is not another drug class"));
      parents[i].push_back(it->second);
    }
  }
  // Ancestors by walking up from each class; a walk that comes back to its start is a cycle.
  auto& ancestors = kb_->class_ancestors_;
  ancestors.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> stack(parents[i].begin(), parents[i].end());
    ancestors[i].push_back(static_cast<std::uint32_t>(i));
    while (!stack.empty()) {
      const std::uint32_t c = stack.back();
      stack.pop_back();
      if (c == i)
        return Fail(At(drug_classes_.origins[i].file, drug_classes_.origins[i].place + ".parents",
                       "the class \"" + classes[i].id + "\" is its own ancestor"));
      if (seen[c]) continue;
      seen[c] = true;
      ancestors[i].push_back(c);
      stack.insert(stack.end(), parents[c].begin(), parents[c].end());
    }
    std::sort(ancestors[i].begin(), ancestors[i].end());
  }
  kb_->class_descendants_.assign(n, {});
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint32_t a : ancestors[i])
      if (a != i) kb_->class_descendants_[a].push_back(static_cast<std::uint32_t>(i));
  kb_->drug_closure_.assign(drugs_.items.size(), {});
  kb_->class_members_.assign(n, {});
  for (std::size_t d = 0; d < drugs_.items.size(); ++d) {
    std::vector<std::uint32_t>& closure = kb_->drug_closure_[d];
    for (const std::string& id : drugs_.items[d].classes) {
      const auto& up = ancestors[kb_->drug_class_ids_.at(id)];
      closure.insert(closure.end(), up.begin(), up.end());
    }
    std::sort(closure.begin(), closure.end());
    closure.erase(std::unique(closure.begin(), closure.end()), closure.end());
    for (std::uint32_t c : closure) kb_->class_members_[c].push_back(static_cast<std::uint32_t>(d));
  }
  return {};
}

core::Result<void> KnowledgeBaseBuilder::IndexAliases() {
  // Origins were moved along with the items' order in SortById, so index i still matches.
  const auto add = [&](std::string_view alias, TermRef ref, const Origin& o,
                       const std::string& place) -> core::Result<void> {
    if (auto r = kb_->matcher_.Add(alias, ref); !r) {
      std::string reason = r.error().message;
      if (const TermRef* owner = kb_->matcher_.Find(alias)) {
        static constexpr const char* kKinds[] = {"supplement", "form",       "goal", "condition",
                                                 "drug",       "drug class", "diet"};
        reason = "the alias \"" + std::string(alias) + "\" already names the " +
                 kKinds[static_cast<int>(owner->kind)] + " \"" + kb_->IdOf(*owner) + "\"";
        if (owner->kind == TermKind::kForm)
          reason += " of \"" + kb_->supplements_[owner->index].id + "\"";
      }
      return Fail(At(o.file, o.place + place, reason));
    }
    return {};
  };
  const auto add_own_names = [&](const auto& item, TermRef ref, const Origin& o,
                                 const std::string& prefix) -> core::Result<void> {
    if (auto r = add(item.id, ref, o, prefix + ".id"); !r) return r;
    if (auto r = add(item.name.es, ref, o, prefix + ".name.es"); !r) return r;
    return add(item.name.en, ref, o, prefix + ".name.en");
  };
  const auto add_aliases = [&](const auto& item, TermRef ref, const Origin& o,
                               const std::string& prefix) -> core::Result<void> {
    for (std::size_t k = 0; k < item.aliases.size(); ++k)
      if (auto r = add(item.aliases[k], ref, o, prefix + ".aliases[" + std::to_string(k) + "]"); !r)
        return r;
    return {};
  };
  const auto add_names = [&](const auto& item, TermRef ref, const Origin& o,
                             const std::string& prefix) -> core::Result<void> {
    if (auto r = add_own_names(item, ref, o, prefix); !r) return r;
    return add_aliases(item, ref, o, prefix);
  };
  const auto index_all = [&](const auto& items, const auto& origins,
                             TermKind kind) -> core::Result<void> {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (auto r =
              add_names(items[i], TermRef{kind, static_cast<std::uint32_t>(i), 0}, origins[i], "");
          !r)
        return r;
    }
    return {};
  };
  // A supplement's own names first, then its forms, then its other aliases: the first owner of a
  // phrase keeps it, so an alias equal to a form's name ("betacaroteno") selects that form, while
  // the supplement's name stays the supplement's.
  for (std::size_t i = 0; i < kb_->supplements_.size(); ++i) {
    const TermRef ref{TermKind::kSupplement, static_cast<std::uint32_t>(i), 0};
    if (auto r = add_own_names(kb_->supplements_[i], ref, supplements_.origins[i], ""); !r)
      return r;
  }
  for (std::size_t i = 0; i < kb_->supplements_.size(); ++i) {
    const auto& forms = kb_->supplements_[i].forms;
    for (std::size_t k = 0; k < forms.size(); ++k) {
      const TermRef ref{TermKind::kForm, static_cast<std::uint32_t>(i),
                        static_cast<std::uint32_t>(k)};
      const std::string prefix = ".forms[" + std::to_string(k) + "]";
      const Origin& o = supplements_.origins[i];
      // A form's id ("citrate") is shared by many supplements, so only its names are aliases.
      if (auto r = add(forms[k].name.es, ref, o, prefix + ".name.es"); !r) return r;
      if (auto r = add(forms[k].name.en, ref, o, prefix + ".name.en"); !r) return r;
      for (std::size_t a = 0; a < forms[k].aliases.size(); ++a)
        if (auto r =
                add(forms[k].aliases[a], ref, o, prefix + ".aliases[" + std::to_string(a) + "]");
            !r)
          return r;
    }
  }
  for (std::size_t i = 0; i < kb_->supplements_.size(); ++i) {
    const TermRef ref{TermKind::kSupplement, static_cast<std::uint32_t>(i), 0};
    if (auto r = add_aliases(kb_->supplements_[i], ref, supplements_.origins[i], ""); !r) return r;
  }
  if (auto r = index_all(kb_->goals_, goals_.origins, TermKind::kGoal); !r) return r;
  if (auto r = index_all(kb_->conditions_, conditions_.origins, TermKind::kCondition); !r) return r;
  if (auto r = index_all(kb_->drug_classes_, drug_classes_.origins, TermKind::kDrugClass); !r)
    return r;
  if (auto r = index_all(kb_->drugs_, drugs_.origins, TermKind::kDrug); !r) return r;
  if (auto r = index_all(kb_->diets_, diets_.origins, TermKind::kDiet); !r) return r;
  return {};
}

}  // namespace vitarec::recommend
