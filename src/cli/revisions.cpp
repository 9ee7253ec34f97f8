#include "cli/revisions.hpp"

#include <algorithm>
#include <cstdlib>

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
    if (is_full_commit_id(candidate.revision) || repository.is_shallow()) {
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
    auto common = repository.merge_base(*base, out.head);
    if (!common) {
      out.unknown_reason = "no merge-base between " + candidate.revision + " and head " +
                           short_id(out.head) + shallow_hint(repository);
      return;
    }
    base = common;
  }
  out.base = *base;
}

}  // namespace

const std::vector<std::string>& revision_variables() {
  static const std::vector<std::string> names{
      "SVCDIFF_HEAD", "SVCDIFF_BASE", "CODEBUILD_RESOLVED_SOURCE_VERSION",
      "CODEBUILD_WEBHOOK_BASE_REF", "CODEBUILD_WEBHOOK_PREV_COMMIT"};
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
  if (!is_full_commit_id(head.revision)) return "";
  std::string id = head.revision;
  std::transform(id.begin(), id.end(), id.begin(), [](char c) {
    return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  });
  return id;
}

std::string head_variable(const HeadRevision& head) {
  return head.source == "HEAD" || head.source == "--head" ? "" : head.source;
}

HeadRevision head_revision(const RevisionInputs& inputs) {
  if (inputs.head_flag) return {*inputs.head_flag, "--head"};
  for (const char* name : {"SVCDIFF_HEAD", "CODEBUILD_RESOLVED_SOURCE_VERSION"}) {
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
    // A pull request: CodeBuild gives refs/heads/x; the clone may hold it as
    // origin/x or x.
    std::string name = *ref;
    for (const char* prefix : {"refs/heads/", "refs/remotes/origin/", "origin/"}) {
      if (name.rfind(prefix, 0) == 0) {
        name = name.substr(std::string(prefix).size());
        break;
      }
    }
    std::vector<std::string> forms{*ref, "refs/remotes/origin/" + name, "origin/" + name,
                                   "refs/heads/" + name, name};
    for (const auto& form : forms) {
      if (repository->try_resolve_commit(form)) {
        resolve_base(*repository,
                     {form, "webhook-base-ref", "CODEBUILD_WEBHOOK_BASE_REF=" + *ref, true}, false,
                     out);
        return out;
      }
    }
    out.rule = "webhook-base-ref";
    out.rule_detail = "CODEBUILD_WEBHOOK_BASE_REF=" + *ref;
    out.unknown_reason = "the pull request's base branch " + *ref +
                         " is not in this clone; fetch it (git fetch origin " + name + ")" +
                         shallow_hint(*repository);
    return out;
  }
  auto prev = env("CODEBUILD_WEBHOOK_PREV_COMMIT");
  if (prev && all_zeros(*prev)) {
    out.notes.push_back(
        "CODEBUILD_WEBHOOK_PREV_COMMIT is all zeros: a push that created the "
        "branch has no previous commit; trying the next rule");
  } else if (prev) {
    BaseCandidate candidate{*prev, "webhook-prev-commit", "CODEBUILD_WEBHOOK_PREV_COMMIT=" + *prev};
    auto base = repository->try_resolve_commit(*prev);
    if (base && !repository->is_ancestor(*base, out.head)) {
      // A force push: the previous tip is not below head any more.
      out.warnings.push_back("CODEBUILD_WEBHOOK_PREV_COMMIT " + short_id(*base) +
                             " is not an ancestor of head " + short_id(out.head) +
                             " (force push?); using their merge-base");
      candidate.via_merge_base = true;
    }
    resolve_base(*repository, candidate, inputs.merge_base, out);
    return out;
  }
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
      "no base given: pass --base, set SVCDIFF_BASE, run from a CodeBuild webhook, or set "
      "defaults.base in svcdiff.yml";
  return out;
}

}  // namespace svcdiff::cli
