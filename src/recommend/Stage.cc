#include "recommend/Stage.h"

namespace vitarec::recommend {

std::string_view ProgressMessage(int progress, std::string_view locale) {
  const bool en = locale == "en";
  if (progress >= kProgressDone) return en ? "Recommendation ready" : "Recomendación lista";
  if (progress >= static_cast<int>(Stage::kCompose))
    return en ? "Writing your recommendation" : "Redactando tu recomendación";
  if (progress >= static_cast<int>(Stage::kSafety))
    return en ? "Checking safety and interactions" : "Evaluando seguridad e interacciones";
  if (progress >= static_cast<int>(Stage::kCandidates))
    return en ? "Gathering candidates and evidence" : "Buscando suplementos y evidencia";
  if (progress >= static_cast<int>(Stage::kUnderstand))
    return en ? "Understanding your query" : "Analizando tu consulta";
  return en ? "Waiting in the queue" : "En cola";
}

}  // namespace vitarec::recommend
