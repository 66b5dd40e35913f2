#!/usr/bin/env bash
# Analyzer overhead: builds a large generated service-shaped code base with the packed
# Operability.Analyzers and, in the same build, Meziantou.Analyzer for comparison, with
# -p:ReportAnalyzer=true; prints each analyzer assembly's time and the compile time.
# Usage: benchmarks/AnalyzerOverhead/run.sh [FILES]   (pack first: dotnet pwsh ./build.ps1 pack)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
files="${1:-1500}"
work="$root/artifacts/benchmarks/analyzer-overhead"
version="$(ls "$root/artifacts/packages" | sed -n 's/^Operability\.Analyzers\.\([0-9][^n]*\)\.nupkg$/\1/p' | head -n1)"
[ -n "$version" ] || { echo "no Operability.Analyzers package in artifacts/packages: run 'dotnet pwsh ./build.ps1 pack' first" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
python3 "$here/generate.py" "$work" "$files"
cat > "$work/Directory.Build.props" <<'XML'
<Project />
XML
cat > "$work/Directory.Packages.props" <<'XML'
<Project />
XML
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="operability-local" value="$root/artifacts/packages" /></packageSources></configuration>
XML
cat > "$work/Shop.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <NoWarn>\$(NoWarn);CS1591</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Operability.Analyzers" Version="$version" PrivateAssets="all" />
    <PackageReference Include="Meziantou.Analyzer" Version="3.0.321" PrivateAssets="all" />
    <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="10.0.0" />
  </ItemGroup>
</Project>
XML
cat > "$work/operability.json" <<'JSON'
{
  "service": "shop",
  "owner": "team-shop",
  "availability": { "financialExposurePerHour": 200000 },
  "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ],
  "dependencies": [ { "name": "pricing", "timeout": "00:00:02" } ],
  "runbook": "https://runbooks.example.com/shop"
}
JSON
printf 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n' > "$work/Program.cs"

export NUGET_PACKAGES="$root/artifacts/benchmarks/nuget-packages"
rm -rf "$NUGET_PACKAGES"/operability.*
cd "$work"
dotnet restore -nologo -v q
for run in 1 2 3; do
  # The per-analyzer report is printed at detailed verbosity; the log is large, so only its summary is kept.
  dotnet build -nologo --no-restore --no-incremental -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary > "build-$run.log" 2>&1 || { cut -c1-300 "build-$run.log" | tail -50; exit 1; }
  echo "== run $run"
  cut -c1-200 "build-$run.log" | grep -E "Total analyzer execution time|   (Operability\.Analyzers|Meziantou\.Analyzer|Microsoft\.CodeAnalysis(\.CSharp)?\.NetAnalyzers), Version|Operability\.Analyzers\.([A-Za-z]+\.)?[A-Za-z]+Analyzer " | sed 's/^ *//' || true
  cut -c1-200 "build-$run.log" | grep -E "^ +[0-9]+ ms +Csc +[0-9]+ calls" | sed 's/^ */Csc task: /' || true
  gzip -f "build-$run.log"
done
