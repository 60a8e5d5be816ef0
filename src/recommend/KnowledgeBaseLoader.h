// Where a KnowledgeBase comes from: the files of data/ compiled in, a directory read at start-up,
// or any list of files (tests feed it broken data). Each loader hands the files, sorted by path,
// to one KnowledgeBaseBuilder; the first problem stops loading. The only I/O of recommend/ is
// LoadKnowledgeBaseDirectory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/EmbeddedFile.h"
#include "core/Error.h"
#include "recommend/KnowledgeBase.h"

namespace vitarec::recommend {

// The files of data/ embedded at build time. Errors (kInvalidArgument) name the file, the place
// in it and the reason.
core::Result<std::shared_ptr<const KnowledgeBase>> LoadEmbeddedKnowledgeBase();

// The *.json files of `dir` and its subdirectories, validated the same way. Also
// kInvalidArgument when the directory cannot be read or holds no JSON file.
core::Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseDirectory(
    const std::string& dir);

// The given files (path relative to the data folder, JSON text); files whose path does not end
// in ".json" are skipped. What both loaders above use.
core::Result<std::shared_ptr<const KnowledgeBase>> LoadKnowledgeBaseFiles(
    const std::vector<core::EmbeddedFile>& files);

}  // namespace vitarec::recommend
