// A prompt template of data/prompts/ (narrative.es.txt, narrative.en.txt): named sections of
// text with {{placeholders}}. The files are embedded into the binary (EmbeddedPrompts.h) and
// parsed and validated at start-up, like the knowledge base.
//
// Format: lines beginning with '#' are comments; a line "[name]" starts a section, which runs to
// the next one; a section's text is kept as written except its final line break. Parse checks
// that each required section is present, that no section is unknown or repeated, and that each
// uses only the placeholders it may.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/Error.h"

namespace vitarec::llm {

class PromptTemplate {
 public:
  // The sections a narrative template has, each with the placeholders it may use.
  struct SectionSpec {
    std::string_view name;
    std::vector<std::string_view> placeholders;
  };
  static const std::vector<SectionSpec>& NarrativeSections();

  // Parses `text` (`file` names it in errors). kInvalidArgument naming the file, the line and
  // the problem.
  static core::Result<PromptTemplate> Parse(std::string_view text, std::string_view file);

  // The template of data/prompts/narrative.<locale>.txt compiled into the binary ("en", else
  // "es"). Errors as Parse, or kNotFound when the file is not embedded.
  static core::Result<PromptTemplate> Embedded(std::string_view locale);

  // The section's text with each {{key}} replaced by its value (values inserted as given).
  // A placeholder without a value becomes empty.
  std::string Fill(std::string_view section,
                   const std::map<std::string, std::string, std::less<>>& values) const;

  // A stable digest of the template's text (FNV-1a 64, hex): a part of the key under which a
  // completed narrative may be reused, so that a changed prompt is a new narrative.
  const std::string& digest() const { return digest_; }

 private:
  std::map<std::string, std::string, std::less<>> sections_;
  std::string digest_;
};

}  // namespace vitarec::llm
