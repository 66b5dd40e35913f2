#!/usr/bin/env python3
"""Analyzer cost on a real project.

Builds one project (and only that project: its dependencies are built once first) with the packed
Operability.Analyzers beside Meziantou.Analyzer and the SDK's analyzers, with -p:ReportAnalyzer=true,
and prints each Operability analyzer's time, the package's share of the Csc task, and the mean time per
analyzer of Operability, NetAnalyzers and Meziantou in the same compilation.

  benchmarks/AnalyzerOverhead/measure.py PATH/TO/Project.csproj [--runs 3] [--packages DIR] [-- msbuild args]

PATH is not modified: the packages are added through an MSBuild file passed as
CustomAfterMicrosoftCommonTargets (Version, or VersionOverride under central package management).
Pack first (dotnet pwsh ./build.ps1 pack), or pass --packages with a folder holding Operability.Analyzers.*.nupkg.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

MEZIANTOU_VERSION = "3.0.321"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# 'Total analyzer execution time: 12.345 seconds.' then rows '  1.234   10   Name, Version=…' (an assembly)
# and more deeply indented rows '  0.123    1      Namespace.SomeAnalyzer (ID1, ID2)' (its analyzers).
TOTAL = re.compile(r"Total analyzer execution time: ([0-9.,]+) seconds")
ROW = re.compile(r"^(\s*)(<?[0-9]+[.,][0-9]+|<?[0-9]+)\s+(<?[0-9]+)\s+(\S.*?)\s*$")
CSC = re.compile(r"^\s+([0-9]+) ms\s+Csc\s+([0-9]+) calls")

FAMILIES = {
    "Operability": ("Operability.Analyzers",),
    "NetAnalyzers": ("Microsoft.CodeAnalysis.NetAnalyzers", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers"),
    "Meziantou": ("Meziantou.Analyzer",),
}


def seconds(text):
    return 0.0 if text.startswith("<") else float(text.replace(",", "."))


def inject_file(work, version):
    path = os.path.join(work, "inject.targets")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""<Project>
  <ItemGroup Condition="'$(ManagePackageVersionsCentrally)' == 'true'">
    <PackageReference Include="Operability.Analyzers" VersionOverride="{version}" PrivateAssets="all" />
    <PackageReference Include="Meziantou.Analyzer" VersionOverride="{MEZIANTOU_VERSION}" PrivateAssets="all" />
  </ItemGroup>
  <ItemGroup Condition="'$(ManagePackageVersionsCentrally)' != 'true'">
    <PackageReference Include="Operability.Analyzers" Version="{version}" PrivateAssets="all" />
    <PackageReference Include="Meziantou.Analyzer" Version="{MEZIANTOU_VERSION}" PrivateAssets="all" />
  </ItemGroup>
</Project>
""")
    return path


def parse(lines):
    """Per assembly: (seconds, {analyzer: seconds}); and the Csc task's milliseconds."""
    assemblies, current, csc = {}, None, None
    in_report = False
    for line in lines:
        line = line.rstrip("\n")
        if TOTAL.search(line):
            in_report = True
            continue
        m = CSC.match(line)
        if m:
            csc = int(m.group(1))
            continue
        if not in_report:
            continue
        m = ROW.match(line)
        if not m:
            if "Total generator execution time" in line:
                in_report = False
            continue
        name = m.group(4)
        if ", Version=" in name:
            current = name.split(",")[0]
            assemblies[current] = [seconds(m.group(2)), {}]
        elif current is not None:
            assemblies[current][1][re.sub(r"\s*\(.*\)$", "", name)] = seconds(m.group(2))
    return assemblies, csc


def family(assemblies, names):
    total, analyzers = 0.0, {}
    for name in names:
        if name in assemblies:
            total += assemblies[name][0]
            analyzers.update(assemblies[name][1])
    return total, analyzers


def main():
    args, extra = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter), []
    args.add_argument("project")
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--packages", default=os.path.join(ROOT, "artifacts", "packages"))
    args.add_argument("--keep-logs", action="store_true", help="keep each run's detailed log (large) beside the summary")
    argv = sys.argv[1:]
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    opts = args.parse_args(argv)

    packages = os.path.abspath(opts.packages)
    versions = [m.group(1) for f in sorted(os.listdir(packages)) if (m := re.match(r"^Operability\.Analyzers\.([0-9][^n]*)\.nupkg$", f))]
    if not versions:
        sys.exit(f"no Operability.Analyzers package in {packages}: run 'dotnet pwsh ./build.ps1 pack' first")
    project = os.path.abspath(opts.project)
    work = os.path.join(ROOT, "artifacts", "benchmarks", "measure", re.sub(r"[^A-Za-z0-9.]+", "_", os.path.basename(project)))
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ)
    # A private cache: the freshly packed analyzers, not an older copy of the same version.
    env["NUGET_PACKAGES"] = os.path.join(ROOT, "artifacts", "benchmarks", "nuget-packages")
    shutil.rmtree(os.path.join(env["NUGET_PACKAGES"], "operability.analyzers"), ignore_errors=True)
    common = [f"-p:CustomAfterMicrosoftCommonTargets={inject_file(work, versions[0])}",
              f"-p:RestoreAdditionalProjectSources={packages}",
              "-p:TreatWarningsAsErrors=false", "-p:CodeAnalysisTreatWarningsAsErrors=false"] + extra

    def dotnet(*a, log=None, tolerate=False):
        cmd = ["dotnet", *a, project, "-nologo", *common]
        with open(log or os.devnull, "w", encoding="utf-8") as out:
            proc = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        # A build may fail on the project's own analyzer errors (Meziantou has error-level rules): the
        # compiler still ran every analyzer and printed the report, which is all this measures.
        if proc.returncode != 0 and not tolerate:
            if log:
                with open(log, encoding="utf-8", errors="replace") as f:
                    sys.stderr.writelines(l[:300] + "\n" for l in f.readlines()[-40:])
            sys.exit(f"'dotnet {a[0]}' failed for {project}")

    print(f"project: {project}\npackage: Operability.Analyzers {versions[0]} from {packages}, Meziantou.Analyzer {MEZIANTOU_VERSION}")
    dotnet("restore", log=os.path.join(work, "restore.log"))
    dotnet("build", "--no-restore", "-v:q", log=os.path.join(work, "warmup.log"), tolerate=True)  # dependencies, once

    results = []
    for run in range(1, opts.runs + 1):
        log = os.path.join(work, f"build-{run}.log")
        dotnet("build", "--no-restore", "--no-dependencies", "--no-incremental", "-p:ReportAnalyzer=true",
               "-v:d", "-clp:PerformanceSummary", log=log, tolerate=True)
        with open(log, encoding="utf-8", errors="replace") as f:
            assemblies, csc = parse(f)
        if not opts.keep_logs:
            os.remove(log)
        if csc is None or "Operability.Analyzers" not in assemblies:
            sys.exit(f"run {run}: no Csc time or no Operability.Analyzers in the analyzer report (is the project C#?)")
        results.append((assemblies, csc))
        ops_total, ops = family(assemblies, FAMILIES["Operability"])
        print(f"== run {run}: Csc {csc / 1000:.2f} s, Operability.Analyzers {ops_total:.3f} s = {100 * ops_total * 1000 / csc:.2f} % of Csc")
        for name, value in sorted(ops.items(), key=lambda kv: -kv[1]):
            print(f"   {value:7.3f} s  {name.rsplit('.', 1)[-1]}")

    print("== summary (median of runs)")
    csc = statistics.median(c for _, c in results)
    print(f"   Csc task: {csc / 1000:.2f} s")
    for label, names in FAMILIES.items():
        totals = [family(a, names) for a, _ in results]
        total = statistics.median(t for t, _ in totals)
        count = statistics.median(len(d) for _, d in totals)
        mean = statistics.median(t / len(d) if d else 0.0 for t, d in totals)
        print(f"   {label}: {total:.3f} s = {100 * total * 1000 / csc:.2f} % of Csc; {int(count)} analyzers, mean {1000 * mean:.1f} ms per analyzer")


if __name__ == "__main__":
    main()
