# vitarec_embed_files(<target> NAMESPACE <ns> BASE_DIR <dir> FILES <file>...)
#
# Generates a C++ source that holds the given files as byte arrays, and a header declaring
#   const std::vector<vitarec::core::EmbeddedFile>& <ns>::EmbeddedFiles();
# with each file's path relative to BASE_DIR. Regenerated whenever an embedded file changes.
function(vitarec_embed_files target)
  cmake_parse_arguments(ARG "" "NAMESPACE;BASE_DIR" "FILES" ${ARGN})
  set(out_cc "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cc")
  set(script "${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake")
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${out_cc}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out_cc}" "-DNAMESPACE=${ARG_NAMESPACE}"
            "-DBASE_DIR=${ARG_BASE_DIR}" "-DFILES=${files_arg}" -P "${script}"
    DEPENDS ${ARG_FILES} "${script}"
    COMMENT "Embedding ${target} files"
    VERBATIM)
  target_sources(${target} PRIVATE "${out_cc}")
endfunction()
