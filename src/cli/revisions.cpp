#include "cli/revisions.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace svcdiff::cli {
namespace {

constexpr const char* kZipCheckout =
    "no .git directory here: CodePipeline's default source artifact is a zip without git "
    "history; set the source action's output artifact format to \"Full clone\" "
    "(CODEBUILD_CLONE_REF) so the build gets a repository, or give the CodeBuild project the "
    "repository as its source with a git-clone-depth deep enough to hold the base (0 = full)";

bool is_full_commit_id(const std::string& text) {
  return text.size() == 40 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

bool all_zeros(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

std::string shallow_hint(const repo::Repository& repository) {
  if (!repository.is_shallow()) return "";
  return "; this is a shallow clone: deepen it (git fetch --unshallow, or a larger "
         "git-clone-depth in the CodeBuild source settings)";
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

struct BaseCandidate {
  std::string revision;  // as given
  std::string rule;
  std::string detail;
  bool via_merge_base = false;  // the rule itself asks for merge-base(head)
};

// Whether a shallow clone may be why `revision` does not resolve: a commit
// id (abbreviated), or ancestry of a name the clone holds (`HEAD~5`,
// `main^2`) past its boundary. A name the clone does not hold at all
// (`mian`, a tag it never fetched) is reported as such, not as every
// service built because of a typo.
bool shallow_may_explain(const repo::Repository& repository, const std::string& revision) {
  const std::string name = revision.substr(0, revision.find_first_of("~^@:"));
  if (name.empty()) return true;  // `@~3`: HEAD's ancestry
  const bool hex = name.size() >= 4 && std::all_of(name.begin(), name.end(), [](char c) {
                     return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                   });
  return hex || repository.try_resolve_commit(name).has_value();
}

// Resolves a base candidate or explains why it is unknown.
void resolve_base(const repo::Repository& repository, const BaseCandidate& candidate,
                  bool merge_base_flag, Revisions& out) {
  out.rule = candidate.rule;
  out.rule_detail = candidate.detail;
  auto lookup = repository.lookup_commit(candidate.revision);
  std::optional<std::string> base = lookup.id;
  if (!base) {
    if (lookup.unreadable) {
      // The name is fine but the history behind it is not all there: a
      // missing or corrupt object, a shallow boundary.
      out.unknown_reason = "base commit " + candidate.revision + " (" + candidate.detail +
                           ") cannot be read: " + lookup.problem + shallow_hint(repository) +
                           (repository.is_shallow() ? "" : "; check the clone with git fsck");
      return;
    }
    // An id of a tree or a blob is in the repository, just not a commit: a
    // mistake to report, not a base the clone lacks.
    const bool other_object = lookup.problem.rfind("it names a ", 0) == 0;
    if (!other_object &&
        (is_full_commit_id(candidate.revision) ||
         (repository.is_shallow() && shallow_may_explain(repository, candidate.revision)))) {
      out.unknown_reason = "base commit " + candidate.revision + " (" + candidate.detail +
                           ") is not in this repository" + shallow_hint(repository);
      return;
    }
    // Resolving again throws the error that names the revision (and the
    // variable that gave it).
    const std::string& detail = candidate.detail;
    repository.resolve_commit(candidate.revision,
                              candidate.rule == "flag" ? "" : detail.substr(0, detail.find('=')));
  }
  if (candidate.via_merge_base || merge_base_flag) {
    const std::vector<repo::CommitId> common = repository.merge_bases(*base, out.head);
    if (common.empty()) {
      out.unknown_reason = "no merge-base between " + candidate.revision + " and head " +
                           short_id(out.head) + shallow_hint(repository);
      return;
    }
    // A criss-cross merge: git diff A...B warns and takes the newest; so do we.
    if (common.size() > 1) {
      std::string others;
      for (std::size_t i = 1; i < common.size(); ++i)
        others += (i == 1 ? "" : ", ") + short_id(common[i]);
      out.warnings.push_back(candidate.revision + " and head " + short_id(out.head) + " have " +
                             std::to_string(common.size()) + " merge bases; using " +
                             short_id(common.front()) + ", the newest by commit date (as git " +
                             "diff A...B does), not " + others);
    }
    base = common.front();
  }
  out.base = *base;
}

// actions/checkout fetches one commit unless told otherwise.
constexpr const char* kCheckoutDepthHint =
    "; with actions/checkout, set `fetch-depth: 0` so the clone holds the base";

bool in_github_actions(const std::map<std::string, std::string>& env) {
  auto it = env.find("GITHUB_ACTIONS");
  return it != env.end() && it->second == "true";
}

// Rules 2 and 4 for a pull request: merge-base(base branch, head). CodeBuild
// gives refs/heads/x, GitHub x; the clone may hold it as origin/x or x.
void base_branch_rule(const repo::Repository& repository, const std::string& ref,
                      const std::string& rule, const std::string& variable, Revisions& out) {
  std::string name = ref;
  for (const char* prefix : {"refs/heads/", "refs/remotes/origin/", "origin/"}) {
    if (name.rfind(prefix, 0) == 0) {
      name = name.substr(std::string(prefix).size());
      break;
    }
  }
  std::vector<std::string> forms{ref, "refs/remotes/origin/" + name, "origin/" + name,
                                 "refs/heads/" + name, name};
  for (const auto& form : forms) {
    if (repository.try_resolve_commit(form)) {
      resolve_base(repository, {form, rule, variable + "=" + ref, true}, false, out);
      return;
    }
  }
  out.rule = rule;
  out.rule_detail = variable + "=" + ref;
  out.unknown_reason = "the pull request's base branch " + ref +
                       " is not in this clone; fetch it (git fetch origin " + name + ")" +
                       shallow_hint(repository);
}

// Rules 3 and 4 for a push: the commit the branch pointed to before; when it
// is not an ancestor of head (a force push), their merge-base, with a warning.
void previous_tip_rule(const repo::Repository& repository, const std::string& previous,
                       const std::string& rule, const std::string& variable, bool merge_base_flag,
                       Revisions& out) {
  BaseCandidate candidate{previous, rule, variable + "=" + previous};
  auto base = repository.try_resolve_commit(previous);
  if (base && !repository.is_ancestor(*base, out.head)) {
    out.warnings.push_back(variable + " " + short_id(*base) + " is not an ancestor of head " +
                           short_id(out.head) + " (force push?); using their merge-base");
    candidate.via_merge_base = true;
  }
  resolve_base(repository, candidate, merge_base_flag, out);
}

// The push range GitHub Actions describes in the event file: `before` and
// `after` of a push event; both empty for other events.
struct PushRange {
  std::string before;
  std::string after;
};

PushRange read_push_range(const std::string& path) {
  // The runner writes a regular file; a FIFO there would block the run in
  // open, waiting for a writer that never comes.
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw runtime_error("GITHUB_EVENT_PATH=" + path +
                        " is not a regular file; it should be the event payload GitHub Actions "
                        "writes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw runtime_error("cannot read GITHUB_EVENT_PATH=" + path + ": " + std::strerror(errno) +
                        "; in GitHub Actions the runner sets it, elsewhere unset GITHUB_ACTIONS");
  }
  const std::string text(std::istreambuf_iterator<char>(in), {});
  const nlohmann::json event = nlohmann::json::parse(text, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    throw runtime_error("GITHUB_EVENT_PATH=" + path +
                        " is not a JSON object; it should be the event payload GitHub Actions "
                        "writes");
  }
  PushRange range;
  for (auto [key, field] : {std::pair{"before", &range.before}, std::pair{"after", &range.after}}) {
    auto it = event.find(key);
    if (it == event.end() || it->is_null()) continue;
    if (!it->is_string() || !is_full_commit_id(it->get<std::string>())) {
      throw runtime_error("GITHUB_EVENT_PATH=" + path + ": `" + key + "` is " + it->dump() +
                          ", not a full commit id");
    }
    *field = it->get<std::string>();
  }
  return range;
}

// Rule 4: GitHub Actions, a pull request (GITHUB_BASE_REF) or a push (the
// event's `before`). Returns false when neither applies, to try the next rule.
bool github_rule(const repo::Repository& repository, const RevisionInputs& inputs, Revisions& out) {
  auto env = [&](const char* name) -> std::string {
    auto it = inputs.env.find(name);
    return it == inputs.env.end() ? "" : it->second;
  };
  if (!in_github_actions(inputs.env)) return false;
  if (const std::string ref = env("GITHUB_BASE_REF"); !ref.empty()) {
    base_branch_rule(repository, ref, "github-base-ref", "GITHUB_BASE_REF", out);
  } else {
    const std::string path = env("GITHUB_EVENT_PATH");
    if (path.empty()) return false;
    const PushRange range = read_push_range(path);
    const std::string event = env("GITHUB_EVENT_NAME").empty() ? "this" : env("GITHUB_EVENT_NAME");
    if (range.before.empty()) {
      out.notes.push_back("GITHUB_EVENT_PATH: the " + event +
                          " event has no `before` (not a push); trying the next rule");
      return false;
    }
    if (all_zeros(range.before)) {
      out.notes.push_back(
          "GITHUB_EVENT_PATH: `before` is all zeros: a push that created the branch has no "
          "previous commit; trying the next rule");
      return false;
    }
    if (!range.after.empty() && range.after != out.head) {
      out.notes.push_back("the push's `after` " + short_id(range.after) + " is not head " +
                          short_id(out.head) + "; diffing from its `before` to head");
    }
    previous_tip_rule(repository, range.before, "github-push-before", "GITHUB_EVENT_PATH's before",
                      inputs.merge_base, out);
  }
  if (!out.unknown_reason.empty() && repository.is_shallow()) {
    out.unknown_reason += kCheckoutDepthHint;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& revision_variables() {
  static const std::vector<std::string> names{"SVCDIFF_HEAD",
                                              "SVCDIFF_BASE",
                                              "CODEBUILD_RESOLVED_SOURCE_VERSION",
                                              "CODEBUILD_WEBHOOK_BASE_REF",
                                              "CODEBUILD_WEBHOOK_PREV_COMMIT",
                                              "GITHUB_ACTIONS",
                                              "GITHUB_SHA",
                                              "GITHUB_BASE_REF",
                                              "GITHUB_EVENT_PATH",
                                              "GITHUB_EVENT_NAME"};
  return names;
}

std::map<std::string, std::string> revision_environment() {
  std::map<std::string, std::string> env;
  for (const auto& name : revision_variables()) {
    const char* value = std::getenv(name.c_str());
    if (value != nullptr && *value != '\0') env[name] = value;
  }
  return env;
}

std::string head_without_repository(const HeadRevision& head) {
  // Without .git a given value is CodeBuild's source version: recorded as it is.
  if (head.source == "HEAD") return "";
  if (!is_full_commit_id(head.revision)) return head.revision;
  std::string id = head.revision;
  std::transform(id.begin(), id.end(), id.begin(), [](char c) {
    return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  });
  return id;
}

std::string head_variable(const HeadRevision& head) {
  return head.source == "HEAD" || head.source == "--head" ? "" : head.source;
}

void check_revision_not_empty(const std::string& option, const std::optional<std::string>& value) {
  if (value && value->empty()) {
    throw usage_error(option +
                      " is empty; name a revision (a sha, branch, tag or HEAD~3), or leave it out");
  }
}

HeadRevision head_revision(const RevisionInputs& inputs) {
  if (inputs.head_flag) return {*inputs.head_flag, "--head"};
  for (const char* name : {"SVCDIFF_HEAD", "CODEBUILD_RESOLVED_SOURCE_VERSION", "GITHUB_SHA"}) {
    if (std::string(name) == "GITHUB_SHA" && !in_github_actions(inputs.env)) continue;
    auto it = inputs.env.find(name);
    if (it != inputs.env.end() && !it->second.empty()) return {it->second, name};
  }
  return {"HEAD", "HEAD"};
}

Revisions choose_revisions(const repo::Repository* repository, const RevisionInputs& inputs) {
  Revisions out;
  auto env = [&](const char* name) -> std::optional<std::string> {
    auto it = inputs.env.find(name);
    if (it == inputs.env.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };

  auto head = head_revision(inputs);
  out.head_source = head.source;
  if (repository == nullptr) {
    // Nothing to resolve in, but a zip artifact's CODEBUILD_RESOLVED_SOURCE_VERSION
    // still names the commit the service builds should check out.
    out.head = head_without_repository(head);
    out.rule = "unknown";
    out.unknown_reason = kZipCheckout;
    return out;
  }
  out.head = repository->resolve_commit(head.revision, head_variable(head));

  if (inputs.base_flag) {
    resolve_base(*repository, {*inputs.base_flag, "flag", "--base " + *inputs.base_flag},
                 inputs.merge_base, out);
    return out;
  }
  if (auto value = env("SVCDIFF_BASE")) {
    resolve_base(*repository, {*value, "env", "SVCDIFF_BASE=" + *value}, inputs.merge_base, out);
    return out;
  }
  if (auto ref = env("CODEBUILD_WEBHOOK_BASE_REF")) {
    base_branch_rule(*repository, *ref, "webhook-base-ref", "CODEBUILD_WEBHOOK_BASE_REF", out);
    return out;
  }
  auto prev = env("CODEBUILD_WEBHOOK_PREV_COMMIT");
  if (prev && all_zeros(*prev)) {
    out.notes.push_back(
        "CODEBUILD_WEBHOOK_PREV_COMMIT is all zeros: a push that created the "
        "branch has no previous commit; trying the next rule");
  } else if (prev) {
    previous_tip_rule(*repository, *prev, "webhook-prev-commit", "CODEBUILD_WEBHOOK_PREV_COMMIT",
                      inputs.merge_base, out);
    return out;
  }
  if (github_rule(*repository, inputs, out)) return out;
  if (inputs.config_base) {
    if (!repository->try_resolve_commit(*inputs.config_base)) {
      out.rule = "config-default";
      out.rule_detail = "defaults.base " + *inputs.config_base;
      out.unknown_reason = "defaults.base `" + *inputs.config_base +
                           "` does not resolve in this clone; fetch it" + shallow_hint(*repository);
      return out;
    }
    resolve_base(
        *repository,
        {*inputs.config_base, "config-default", "defaults.base " + *inputs.config_base, true},
        false, out);
    return out;
  }
  out.rule = "unknown";
  out.unknown_reason =
      "no base given: pass --base, set SVCDIFF_BASE, run from a CodeBuild webhook or a GitHub "
      "Actions pull_request or push event, or set defaults.base in svcdiff.yml";
  return out;
}

}  // namespace svcdiff::cli
