// rxflow serve: the seed paper's patient form as a local web application
// over the same engine. The workflow is planned once when the server starts
// (so a broken workflow stops it before it listens); each submitted form
// becomes a Plan with the requests stage's row set as typed values, queued,
// and executed one at a time with an observer that the pages follow. Every
// submission is an ordinary run file in the results folder. docs/serve.md
// describes the pages, the routes and the rules every request passes.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "commands/commands.h"

namespace rxflow {

struct ServeArgs {
  WorkflowArgs workflow;  // --set and --seed apply to every run
  std::string host = "127.0.0.1";
  int port = 8765;  // 0: any free port (the printed address says which)
  std::string results_dir = "results";
  std::size_t queue = 8;  // runs that may wait while one runs
  std::size_t max_body_bytes = 64 * 1024;
};

// Prints the server's address as the first line of out, serves until
// SIGINT or SIGTERM, then cancels what waits, stops the running run (kept
// as failed) and returns 0. Throws InputError when the workflow does not
// plan or the address cannot be bound.
int command_serve(const ServeArgs& args, std::ostream& out, std::ostream& err);

}  // namespace rxflow
