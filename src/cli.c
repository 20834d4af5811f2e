/*
 * cli: parsing arguments the way ruff users expect them.
 *
 * Long options take their value as `--opt VALUE` or `--opt=VALUE`.
 */
#include "cli.h"
#include "remote.h"
#include "repo.h"
#include "config.h"
#include "explain.h"
#include "outfile.h"
#include "progress.h"
#include "forge.h"
#include "rule.h"
#include "bufcheck.h"
#include "lsp.h"
#include "suggest.h"
#include "shard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>



static char *const default_paths[] = { ".", NULL };

/* Every option name, for "did you mean": add new options here too. */
static const char *const option_names[] = {
	"--help", "--version", "--fix", "--no-fix", "--unsafe-fixes", "--diff", "--quiet",
	"--select", "--ignore", "--extend-select", "--extend-ignore", "--fixable",
	"--extend-fixable", "--unfixable", "--add-noqa", "--config", "--isolated",
	"--interactive", "--commit", "--in-place", "--allow-dirty", "--force-branch",
	"--changed-since", "--branch", "--message", "--target-version", "--timeout",
	"--http-client", "--jobs", "--output-format", "--workdir", "--report", "--retry-failed",
	"--shard", "--push", "--dry-run", "--stdin-filename", "--no-cache", "--cache-dir",
	"--git-timeout", "--create-pr", "--draft", "--forge", "--merge-reports",
	"--statistics", "--exit-zero", "--show-fixes", "--no-show-fixes", "--output-file",
	"--color",
	"--force-exclude", "--no-force-exclude",
	NULL,
};

/* The commands, for "did you mean". */
static const char *const command_names[] = {
	"check", "rules", "explain", "batch", "server", "help", NULL,
};

/* The error for an unknown option `a`, naming the nearest known one. */
static int unknown_option(const char *a, const char *for_cmd, struct err *err)
{
	char name[64];
	const char *near;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(a, "="), a);
	for (size_t i = 0; option_names[i]; i++)
		if (!strcmp(option_names[i], name))
			return err_set(err, "option '%s' does not apply to %s", name,
				       for_cmd ? for_cmd : "'check'");
	near = strncmp(name, "--", 2) ? NULL : suggest_nearest(name, option_names, 0, 0);
	if (near)
		return err_set(err, "unknown option '%s'%s%s (did you mean '%s'?)", name,
			       for_cmd ? " for " : "", for_cmd ? for_cmd : "", near);
	if (for_cmd)
		return err_set(err, "unknown option '%s' for %s", a, for_cmd);
	return err_set(err, "unknown option '%s' (try 'asyncmod --help')", a);
}

/* A rule selector list given on the command line: an empty one selects
 * nothing by accident (`--select=$CODES` with CODES unset), so it is refused. */
static int selector_value(const char **slot, const char *name, const char *v, struct err *err)
{
	if (!v[strspn(v, " ,")])
		return err_set(err, "option '%s' needs rule codes or prefixes, not an empty value",
			       name);
	*slot = v;
	return 0;
}

void cli_usage(FILE *out)
{
	fputs("usage: asyncmod check [OPTIONS] [PATH...]\n"
	      "       asyncmod rules [--output-format text|json]\n"
	      "       asyncmod explain CODE\n"
	      "       asyncmod batch MANIFEST [OPTIONS]\n"
	      "       asyncmod server\n"
	      "       asyncmod batch --merge-reports REPORT... [--report FILE]\n"
	      "       asyncmod --help | --version\n"
	      "\n"
	      "Finds the anti-patterns of the Python async standard and fixes them.\n"
	      "\n"
	      "check options:\n"
	      "  --fix                    apply safe fixes in place\n"
	      "  --unsafe-fixes           also apply (or show) unsafe fixes\n"
	      "  --diff                   print fixes as a unified diff; write nothing\n"
	      "  -i, --interactive        ask before each fix, unsafe ones too; needs --fix\n"
	      "  --select CODES           only these codes or prefixes (comma-separated)\n"
	      "  --ignore CODES           leave out these codes or prefixes\n"
	      "  --extend-select CODES    also these codes or prefixes (on top of the config)\n"
	      "  --extend-ignore CODES    the same as --ignore\n"
	      "  --fixable CODES          only these codes or prefixes may be fixed\n"
	      "  --extend-fixable CODES   also these codes or prefixes may be fixed\n"
	      "  --unfixable CODES        never fix these codes or prefixes (reported instead)\n"
	      "  --add-noqa               add `# noqa: CODE` comments where findings are\n"
	      "  --target-version VER     py39 ... py314 (default: the configuration's,\n"
	      "                           else requires-python, else py311)\n"
	      "  --timeout SECONDS        the limit of new asyncio.timeout blocks (default 30)\n"
	      "  --http-client NAME       httpx (default) or aiohttp, for HTTP client fixes\n"
	      "  --config FILE            read settings from FILE (a pyproject.toml)\n"
	      "  --isolated               read no configuration file\n"
	      "  --force-exclude          apply the configuration's exclude to files named\n"
	      "                           on the command line too (as pre-commit names them)\n"
	      "  --stdin-filename PATH    check standard input as the file PATH (its settings);\n"
	      "                           --fix writes the fixed source to standard output\n"
	      "\n"
	      "git options:\n"
	      "  --changed-since REV      only files changed since REV\n"
	      "  --commit                 commit the fixes to tracked files on a new branch,\n"
	      "                           leaving the work tree alone; needs --fix\n"
	      "  --branch NAME            the branch (default asyncmod/<rule codes>)\n"
	      "  -m, --message TEXT       the commit message (default: the rules and counts)\n"
	      "  --in-place               commit on the current branch and update the work tree\n"
	      "  --allow-dirty            commit even if files to change have local changes\n"
	      "  --force-branch           replace an existing branch of the same name\n"
	      "  --output-format FORMAT   text (default), concise, json, sarif or github\n"
	      "  -j, --jobs N             worker threads (default: number of cores)\n"
	      "  -q, --quiet              print findings only, no summary\n"
	      "  --statistics             count the findings per code instead of listing them\n"
	      "  --exit-zero              exit 0 even when findings remain\n"
	      "  --show-fixes             after --fix, list the fixes applied per file\n"
	      "  -o, --output-file FILE   write the report to FILE (whole, or not at all)\n"
	      "  --color WHEN             auto (default), always or never; FORCE_COLOR and\n"
	      "                           NO_COLOR are read under auto\n"
	      "  --no-cache               neither read nor write the cache of results\n"
	      "  --cache-dir DIR          keep the cache in DIR (default .asyncmod_cache\n"
	      "                           beside pyproject.toml, else in the working folder)\n"
	      "\n"
	      "batch options (and --select, --ignore, --extend-select, --extend-ignore,\n"
	      "--fixable, --extend-fixable, --unfixable, --unsafe-fixes, --target-version,\n"
	      "--timeout, --http-client, --branch, --message, --allow-dirty, --jobs,\n"
	      "--config, --isolated):\n"
	      "  --force-branch           replace (and push over) a branch holding commits\n"
	      "                           asyncmod did not make\n"
	      "  --workdir DIR            clone URLs below DIR (default asyncmod-work)\n"
	      "  --push                   push each migration branch to its remote\n"
	      "  --dry-run                commit nothing, push nothing; print the diffs\n"
	      "  --report FILE            one JSON record per repository\n"
	      "  --retry-failed REPORT    only the repositories that failed in REPORT\n"
	      "  --shard K/N              only the K-th of N stable shares of the manifest\n"
	      "  --git-timeout SECONDS    fail a clone, fetch or push that gets nothing from\n"
	      "                           the server for SECONDS (default 120, 0: no limit)\n"
	      "  --shard auto[/N]         the share from the scheduler's variables (Kubernetes\n"
	      "                           indexed Job, Slurm array job, GitLab parallel job)\n"
	      "  --create-pr              open (or update) a pull request per pushed branch\n"
	      "                           with gh or glab; needs --push\n"
	      "  --draft                  open the pull requests as drafts\n"
	      "  --forge FORGE            github or gitlab (default: from origin's host)\n"
	      "  --merge-reports REPORT...  join the shards' reports into one summary\n"
	      "\n"
	      "server: a language server (LSP) on standard input and output, for editors:\n"
	      "  diagnostics, a quick fix per finding and source.fixAll.asyncmod\n"
	      "\n"
	      "Exit status: 0 nothing to report, 1 findings remain (--diff: a diff was\n"
	      "printed), 2 an error occurred.\n",
	      out);
}

int cli_parse_version(int *minor, const char *s, struct err *err)
{
	char *end;
	long v;

	if (strncmp(s, "py3", 3) || !s[3])
		return err_set(err, "invalid target version '%s' (expected py39 ... py314)", s);
	v = strtol(s + 3, &end, 10);
	if (*end || v < PY_MIN_MINOR || v > PY_MAX_MINOR)
		return err_set(err, "invalid target version '%s' (expected py39 ... py314)", s);
	*minor = (int)v;
	return 0;
}

/* Matches `--name VALUE` or `--name=VALUE`; advances *i past the value. */
static int take_value(const char **value, int argc, char **argv, int *i, const char *name,
		      struct err *err)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n] && n == 2 && name[1] != '-') {
		*value = arg + n;	/* a short option's value may follow it: -j4, -mMSG */
		return 1;
	}
	if (arg[n])
		return 0;
	if (*i + 1 >= argc)
		return err_set(err, "option '%s' needs a value", name);
	*value = argv[++*i];
	return 1;
}

static int parse_format(enum output_format *f, const char *v, struct err *err)
{
	if (!strcmp(v, "text"))
		*f = FORMAT_TEXT;
	else if (!strcmp(v, "concise"))
		*f = FORMAT_CONCISE;
	else if (!strcmp(v, "json"))
		*f = FORMAT_JSON;
	else if (!strcmp(v, "sarif"))
		*f = FORMAT_SARIF;
	else if (!strcmp(v, "github"))
		*f = FORMAT_GITHUB;
	else
		return err_set(err, "invalid output format '%s' (expected text, concise, json, sarif "
			       "or github)", v);
	return 0;
}

int cli_parse(struct cli *out, int argc, char **argv, struct err *err)
{
	struct engine_options *o = &out->opts;
	bool fix = false, diff = false, only_paths = false;
	int first_path = -1, i, r;
	size_t nreports = 0;

	memset(out, 0, sizeof(*out));
	if (argc < 2) {
		out->command = CLI_HELP;
		return err_set(err, "no command given (try 'asyncmod --help')");
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		out->command = CLI_HELP;
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		out->command = CLI_VERSION;
		return 0;
	}
	if (!strcmp(argv[1], "explain")) {
		out->command = CLI_EXPLAIN;
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				out->command = CLI_HELP;
				return 0;
			}
			if (argv[i][0] == '-' || out->code)
				return err_set(err, "usage: asyncmod explain CODE");
			out->code = argv[i];
		}
		if (!out->code)
			return err_set(err, "usage: asyncmod explain CODE");
		return 0;
	}
	if (!strcmp(argv[1], "server")) {
		out->command = CLI_SERVER;
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				out->command = CLI_HELP;
				return 0;
			}
			/* clients started by editors may pass --stdio */
			if (strcmp(argv[i], "--stdio"))
				return err_set(err, "usage: asyncmod server [--stdio]");
		}
		return 0;
	}
	if (!strcmp(argv[1], "rules"))
		out->command = CLI_RULES;
	else if (!strcmp(argv[1], "check"))
		out->command = CLI_CHECK;
	else if (!strcmp(argv[1], "batch")) {
		out->command = CLI_BATCH;
		out->batch.git_timeout = REMOTE_TIMEOUT_DEFAULT;
	} else if (suggest_nearest(argv[1], command_names, 0, 0))
		return err_set(err, "unknown command '%s' (did you mean '%s'?)", argv[1],
			       suggest_nearest(argv[1], command_names, 0, 0));
	else
		return err_set(err, "unknown command '%s' (try 'asyncmod --help')", argv[1]);
	/* batch --merge-reports takes reports, not a manifest, wherever it stands */
	for (i = 2; out->command == CLI_BATCH && i < argc && strcmp(argv[i], "--"); i++)
		out->batch.merge_reports |= !strcmp(argv[i], "--merge-reports");

	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
			if (out->command == CLI_BATCH && out->batch.merge_reports) {
				if (first_path < 0)
					first_path = i;
				argv[first_path + (int)nreports++] = argv[i];
				continue;
			}
			if (out->command == CLI_BATCH && !out->batch.manifest) {
				out->batch.manifest = a;
				continue;
			}
			if (out->command != CLI_CHECK)
				return err_set(err, "unexpected argument '%s'", a);
			/* paths are gathered in place at the front of argv's tail */
			if (first_path < 0)
				first_path = i;
			argv[first_path + (int)o->npaths++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_paths = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			out->command = CLI_HELP;
			return 0;
		}
		if ((r = take_value(&v, argc, argv, &i, "--output-format", err))) {
			if (r < 0 || parse_format(&o->format, v, err) < 0)
				return -1;
			if (out->command == CLI_RULES && o->format != FORMAT_TEXT &&
			    o->format != FORMAT_JSON)
				return err_set(err, "'rules' prints text or json");
			continue;
		}
		if (out->command == CLI_RULES)
			return unknown_option(a, "'rules'", err);
		if (out->command == CLI_BATCH) {
			struct batch_options *b = &out->batch;

			if ((r = take_value(&v, argc, argv, &i, "--workdir", err))) {
				if (r < 0)
					return -1;
				b->workdir = v;
				continue;
			}
			if ((r = take_value(&v, argc, argv, &i, "--report", err))) {
				if (r < 0)
					return -1;
				b->report = v;
				continue;
			}
			if ((r = take_value(&v, argc, argv, &i, "--retry-failed", err))) {
				if (r < 0)
					return -1;
				b->retry_failed = v;
				continue;
			}
			if ((r = take_value(&v, argc, argv, &i, "--git-timeout", err))) {
				if (r < 0 || remote_parse_timeout(&b->git_timeout, v, err) < 0)
					return -1;
				continue;
			}
			if ((r = take_value(&v, argc, argv, &i, "--shard", err))) {
				const char *from = NULL;

				if (r < 0)
					return -1;
				if (!strncmp(v, "auto", 4) ?
					    shard_auto(&b->shard_k, &b->shard_n, &from, v, err) < 0 :
					    batch_parse_shard(&b->shard_k, &b->shard_n, v, err) < 0)
					return -1;
				b->shard_from = from;
				continue;
			}
			if ((r = take_value(&v, argc, argv, &i, "--forge", err))) {
				enum forge_kind kind;

				if (r < 0 || forge_parse_kind(&kind, v, err) < 0)
					return -1;
				b->forge = kind;
				continue;
			}
			if (!strcmp(a, "--create-pr") || !strcmp(a, "--draft") ||
			    !strcmp(a, "--merge-reports")) {
				b->create_pr |= a[2] == 'c';
				b->draft |= a[2] == 'd';
				continue;
			}
			if (!strcmp(a, "--push") || !strcmp(a, "--dry-run")) {
				if (a[2] == 'p')
					b->push = true;
				else
					b->dry_run = true;
				continue;
			}
			if (!strcmp(a, "--add-noqa"))
				return err_set(err, "option '%s' does not apply to 'batch'", a);
			if (!strcmp(a, "--fix") || !strcmp(a, "--diff") || !strcmp(a, "--commit") ||
			    !strcmp(a, "--in-place") || !strcmp(a, "--interactive") ||
			    !strcmp(a, "-i") || !strncmp(a, "--changed-since", 15))
				return err_set(err, "option '%s' does not apply to 'batch'", a);
		}
		if (!strcmp(a, "--fix")) {
			fix = true;
		} else if (!strcmp(a, "--no-fix")) {
			fix = false;
		} else if (!strcmp(a, "--unsafe-fixes")) {
			o->unsafe_fixes = true;
		} else if (!strcmp(a, "--diff")) {
			diff = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--statistics")) {
			o->statistics = true;
		} else if (!strcmp(a, "--exit-zero")) {
			o->exit_zero = true;
		} else if (!strcmp(a, "--show-fixes")) {
			o->show_fixes = true;
		} else if (!strcmp(a, "--no-show-fixes")) {
			o->show_fixes = false;
		} else if ((r = take_value(&v, argc, argv, &i, "--output-file", err)) ||
			   (r = take_value(&v, argc, argv, &i, "-o", err))) {
			if (r < 0)
				return -1;
			out->output_file = v;
		} else if ((r = take_value(&v, argc, argv, &i, "--color", err))) {
			if (r < 0 || color_parse(&out->color, v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--select", err))) {
			if (r < 0 || selector_value(&o->select, "--select", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--ignore", err))) {
			if (r < 0 || selector_value(&o->ignore, "--ignore", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--config", err))) {
			if (r < 0)
				return -1;
			o->config_path = v;
		} else if (out->command == CLI_CHECK &&
			   (r = take_value(&v, argc, argv, &i, "--stdin-filename", err))) {
			if (r < 0)
				return -1;
			if (!*v)
				return err_set(err, "--stdin-filename needs a path");
			out->stdin_filename = v;
		} else if (!strcmp(a, "--no-cache")) {
			o->no_cache = true;
		} else if ((r = take_value(&v, argc, argv, &i, "--cache-dir", err))) {
			if (r < 0)
				return -1;
			if (!*v)
				return err_set(err, "invalid cache folder '' (expected a folder name)");
			o->cache_dir = v;
		} else if (!strcmp(a, "--isolated")) {
			o->isolated = true;
		} else if (!strcmp(a, "--force-exclude") || !strcmp(a, "--no-force-exclude")) {
			o->force_exclude = a[2] == 'f';
		} else if (!strcmp(a, "--interactive") || !strcmp(a, "-i")) {
			o->interactive = true;
		} else if (!strcmp(a, "--commit")) {
			o->commit = true;
		} else if (!strcmp(a, "--in-place")) {
			o->in_place = true;
		} else if (!strcmp(a, "--allow-dirty")) {
			o->allow_dirty = true;
		} else if (!strcmp(a, "--force-branch")) {
			o->force_branch = true;
		} else if ((r = take_value(&v, argc, argv, &i, "--changed-since", err))) {
			if (r < 0)
				return -1;
			o->changed_since = v;
		} else if ((r = take_value(&v, argc, argv, &i, "--branch", err))) {
			if (r < 0 || repo_check_branch_name(v, err) < 0)
				return -1;
			o->branch = v;
		} else if ((r = take_value(&v, argc, argv, &i, "--message", err)) ||
			   (r = take_value(&v, argc, argv, &i, "-m", err))) {
			if (r < 0)
				return -1;
			o->message = v;
		} else if ((r = take_value(&v, argc, argv, &i, "--target-version", err))) {
			if (r < 0 || cli_parse_version(&o->target_minor, v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--timeout", err))) {
			char *end;
			double t;

			if (r < 0)
				return -1;
			t = strtod(v, &end);
			if (end == v || *end || !config_timeout_ok(t))
				return err_set(err, "invalid timeout '%s' (expected seconds > 0, at most %.0f)",
					       v, CONFIG_TIMEOUT_MAX);
			o->timeout = t;
		} else if ((r = take_value(&v, argc, argv, &i, "--http-client", err))) {
			if (r < 0)
				return -1;
			if (strcmp(v, "httpx") && strcmp(v, "aiohttp"))
				return err_set(err, "invalid http client '%s' (expected httpx or aiohttp)", v);
			o->http_client = v;
		} else if ((r = take_value(&v, argc, argv, &i, "--jobs", err)) ||
			   (r = take_value(&v, argc, argv, &i, "-j", err))) {
			char *end;
			long n;

			if (r < 0)
				return -1;
			n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 1024)
				return err_set(err, "invalid number of jobs '%s'", v);
			o->jobs = (int)n;
		} else if ((r = take_value(&v, argc, argv, &i, "--extend-select", err))) {
			if (r < 0 || selector_value(&o->extend_select, "--extend-select", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--extend-ignore", err))) {
			if (r < 0 || selector_value(&o->extend_ignore, "--extend-ignore", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--fixable", err))) {
			if (r < 0 || selector_value(&o->fixable, "--fixable", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--extend-fixable", err))) {
			if (r < 0 || selector_value(&o->extend_fixable, "--extend-fixable", v, err) < 0)
				return -1;
		} else if ((r = take_value(&v, argc, argv, &i, "--unfixable", err))) {
			if (r < 0 || selector_value(&o->unfixable, "--unfixable", v, err) < 0)
				return -1;
		} else if (!strcmp(a, "--add-noqa") && out->command == CLI_CHECK) {
			o->add_noqa = true;
		} else {
			return unknown_option(a, out->command == CLI_BATCH ? "'batch'" : NULL, err);
		}
	}
	if (o->config_path && o->isolated)
		return err_set(err, "--config and --isolated cannot be used together");
	if (out->command == CLI_BATCH && out->batch.merge_reports) {
		struct batch_options *b = &out->batch;

		if (!nreports)
			return err_set(err, "usage: asyncmod batch --merge-reports REPORT... [--report FILE]");
		if (b->push || b->dry_run || b->create_pr || b->shard_n || b->retry_failed)
			return err_set(err, "--merge-reports joins reports: it runs nothing, so only "
				       "--report goes with it");
		b->reports = argv + first_path;
		b->nreports = nreports;
		return 0;
	}
	if (out->command == CLI_BATCH) {
		if (out->batch.create_pr && !out->batch.push)
			return err_set(err, "--create-pr opens pull requests of pushed branches: use it "
				       "with --push");
		if ((out->batch.draft || out->batch.forge) && !out->batch.create_pr)
			return err_set(err, "--draft and --forge go with --create-pr");
		if (!out->batch.manifest)
			return err_set(err, "usage: asyncmod batch MANIFEST [OPTIONS]");
		if (!out->batch.workdir)
			out->batch.workdir = "asyncmod-work";
		out->batch.jobs = o->jobs;
		out->batch.check = *o;
		return 0;
	}
	if (fix && diff)
		return err_set(err, "--fix and --diff cannot be used together");
	if (out->output_file && o->interactive)
		return err_set(err, "--interactive asks on the terminal: --output-file does not go "
			       "with it");
	if (o->statistics && diff)
		return err_set(err, "--statistics counts findings: it does not go with --diff");
	if (o->statistics && o->format != FORMAT_TEXT && o->format != FORMAT_CONCISE &&
	    o->format != FORMAT_JSON)
		return err_set(err, "--statistics prints text or json");
	if (o->add_noqa && (fix || diff || o->interactive || o->commit))
		return err_set(err, "--add-noqa writes suppression comments: it cannot be used with "
			       "--fix, --diff, --interactive or --commit");
	if (o->commit && !fix)
		return err_set(err, "--commit records fixes: use it with --fix");
	if (o->interactive && !fix)
		return err_set(err, "--interactive reviews fixes: use it with --fix");
	if (!o->commit && (o->in_place || o->branch || o->message || o->force_branch))
		return err_set(err, "--in-place, --branch, --message and --force-branch go with --commit");
	if (o->in_place && o->allow_dirty)
		return err_set(err, "--in-place never overwrites local changes: --allow-dirty does not apply");
	if (o->in_place && (o->branch || o->force_branch))
		return err_set(err, "--in-place commits on the current branch: --branch does not apply");
	o->mode = diff ? MODE_DIFF : fix ? MODE_FIX : MODE_CHECK;
	if (out->stdin_filename && (o->npaths || o->commit || o->interactive || o->changed_since))
		return err_set(err, "--stdin-filename reads standard input: it takes no PATH, "
			       "--commit, --interactive or --changed-since");
	if (o->npaths) {
		o->paths = argv + first_path;
	} else {
		o->paths = default_paths;
		o->npaths = 1;
		o->default_paths = true;
	}
	return 0;
}

int cli_run(const struct cli *cli, FILE *out, FILE *errs)
{
	struct err err = ERR_INIT;
	int status = ENGINE_TROUBLE;

	switch (cli->command) {
	case CLI_HELP:
		cli_usage(out);
		return ENGINE_CLEAN;
	case CLI_VERSION:
		fprintf(out, "asyncmod %s\n", PACKAGE_VERSION);
		return ENGINE_CLEAN;
	case CLI_RULES:
		engine_rules(out, cli->opts.format);
		return ENGINE_CLEAN;
	case CLI_BATCH:
		if (cli->batch.merge_reports) {
			if (shard_merge_reports(cli->batch.reports, cli->batch.nreports, cli->batch.report,
						out, &status, &err) < 0) {
				fprintf(errs, "asyncmod: error: %s\n", err.msg);
				return ENGINE_TROUBLE;
			}
			return status;
		}
		if (cli->batch.shard_from)
			fprintf(errs, "asyncmod: shard %u/%u (from %s)\n", cli->batch.shard_k,
				cli->batch.shard_n, cli->batch.shard_from);
		if (batch_run(&cli->batch, out, errs, &status, &err) < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			return ENGINE_TROUBLE;
		}
		return status;
	case CLI_SERVER:
		return lsp_serve(STDIN_FILENO, STDOUT_FILENO, errs);
	case CLI_EXPLAIN:
		if (explain_print(out, cli->code, &err) < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			return ENGINE_TROUBLE;
		}
		return ENGINE_CLEAN;
	case CLI_CHECK: {
		struct engine_options opts = cli->opts;
		struct outfile file;
		int rc;

		if (cli->stdin_filename && cli->output_file) {
			fprintf(errs, "asyncmod: error: --stdin-filename answers on standard output: "
				"--output-file does not go with it\n");
			return ENGINE_TROUBLE;
		}
		if (cli->stdin_filename) {
			opts.color = color_wanted(cli->color, fileno(out));
			return bufcheck_stdin(&opts, cli->stdin_filename, stdin, out, errs);
		}
		if (cli->output_file && outfile_open(&file, cli->output_file, &err) < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			return ENGINE_TROUBLE;
		}
		/* a terminal gets colour (color.h); the report file is none */
		opts.color = color_wanted(cli->color, fileno(cli->output_file ? file.f : out));
		opts.progress = progress_wanted(errs, opts.quiet) && !opts.interactive;
		rc = engine_check(&opts, cli->output_file ? file.f : out, errs, &status, &err);
		if (rc < 0)
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
		if (cli->output_file && outfile_close(&file, rc == 0, &err) < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			return ENGINE_TROUBLE;
		}
		return rc < 0 ? ENGINE_TROUBLE : status;
	}
	}
	return ENGINE_TROUBLE;
}
