# Writes the man page and the shell completion scripts by running the built
# svcdiff, so they come from the same table as --help. Run by the svcdiff_docs
# target: cmake -DSVCDIFF=<binary> -DOUT=<directory> -P write-docs.cmake
foreach(doc "help;--man;svcdiff.1" "completion;bash;svcdiff.bash" "completion;zsh;_svcdiff"
        "completion;fish;svcdiff.fish")
  list(GET doc 0 command)
  list(GET doc 1 argument)
  list(GET doc 2 file)
  # EMULATOR: empty, or qemu for a cross-built binary.
  execute_process(COMMAND ${EMULATOR} "${SVCDIFF}" ${command} ${argument} OUTPUT_FILE "${OUT}/${file}"
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "svcdiff ${command} ${argument} failed: ${status}")
  endif()
endforeach()
