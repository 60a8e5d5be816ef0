// A text in the two languages of the portal. Both are always present once loaded (the loader
// rejects a missing one), so In() never returns an empty string for a loaded text.
#pragma once

#include <string>
#include <string_view>

namespace vitarec::recommend {

struct LocalizedText {
  std::string es;
  std::string en;

  // The English text for "en", the Spanish one for anything else (Spanish is the default).
  const std::string& In(std::string_view locale) const { return locale == "en" ? en : es; }
};

}  // namespace vitarec::recommend
