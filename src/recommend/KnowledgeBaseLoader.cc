#include "recommend/KnowledgeBaseLoader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "recommend/EmbeddedData.h"
#include "recommend/KnowledgeBaseBuilder.h"

namespace vitarec::recommend {

core::Result<std::shared_ptr<const KnowledgeBase>> LoadEmbeddedKnowledgeBase() {
  return LoadKnowledgeBaseFiles(data::EmbeddedFiles());
}

core::Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseDirectory(
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
  return LoadKnowledgeBaseFiles(files);
}

core::Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseFiles(
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

}  // namespace vitarec::recommend
