#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, packs and demonstrates Operability.

.DESCRIPTION
    dotnet pwsh ./build.ps1 <target> [-Configuration Release|Debug]

    Targets:
      build   restore and build Operability.sln
      pack    build, then pack every shippable package into artifacts/packages/
      test    pack, then run every test project (unit and end-to-end) and print a summary
      demo    pack, then scaffold a service from the packed template into artifacts/demo/ (build it in CI
              mode, test it, run it, show its health), build the samples against the packed
              analyzers so their diagnostics show, and end with the packed dotnet-operability tool's
              estate views of samples/estate
      clean   remove artifacts/ and every bin/ and obj/ folder
      prerequisites
              install what the tests need besides the .NET SDK when it is missing (Debian's chromium for the
              shutter page's browser test, Debian's prometheus for promtool, prometheus-alertmanager for amtool,
              postgresql for database readiness against a real PostgreSQL); 'test' runs it first.
              With -CheckOnly it only reports what is missing (exit code 1 when something is).

    Each step prints what it runs; the first failing step stops the script with its name and exit code.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'pack', 'demo', 'clean', 'prerequisites')]
    [string] $Target = 'build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # prerequisites: report what is missing, install nothing.
    [switch] $CheckOnly
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$Packages = Join-Path $Artifacts 'packages'
$Solution = Join-Path $Root 'Operability.sln'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Write-Step([string] $Message) {
    Write-Host ''
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Runs a native command, echoing it first; stops the script, naming the step, when it fails.
function Invoke-Step([string] $Name, [string] $Command, [string[]] $Arguments) {
    Write-Host "    $Command $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "Step '$Name' failed: '$Command $($Arguments -join ' ')' exited with code $LASTEXITCODE."
    }
}

function Invoke-Build {
    Write-Step "build: $Solution ($Configuration)"
    Invoke-Step 'restore' 'dotnet' @('restore', $Solution)
    Invoke-Step 'build' 'dotnet' @('build', $Solution, '-c', $Configuration, '--no-restore')
}

function Invoke-Pack {
    Invoke-Build
    Write-Step "pack: shippable packages into $Packages"
    if (Test-Path $Packages) {
        Get-ChildItem $Packages -Filter 'Operability.*.nupkg' | Remove-Item -Force
    }
    New-Item -ItemType Directory -Force -Path $Packages | Out-Null
    Invoke-Step 'pack' 'dotnet' @('pack', $Solution, '-c', $Configuration, '--no-build', '-o', $Packages)
    $packed = @(Get-ChildItem $Packages -Filter 'Operability.*.nupkg')
    if ($packed.Count -eq 0) {
        throw "Step 'pack' failed: no Operability.*.nupkg was written to $Packages."
    }
    $packed | ForEach-Object { Write-Host "    packed $($_.Name)" }
}

# The tools the tests drive besides the .NET SDK, and the Debian package each comes from. Tests use the real
# programs (never a browser or binary downloaded by a test tool), so they must be on the machine. Where Debian
# installs a program off PATH (PostgreSQL's server binaries), Paths lists where it looks too.
$TestTools = @(
    [pscustomobject]@{ Command = 'chromium'; Package = 'chromium'; Paths = @(); Why = 'the shutter page test in headless Chromium' }
    [pscustomobject]@{ Command = 'promtool'; Package = 'prometheus'; Paths = @(); Why = 'the scaffold''s alert rules: promtool check rules / test rules' }
    [pscustomobject]@{ Command = 'amtool'; Package = 'prometheus-alertmanager'; Paths = @(); Why = 'the scaffold''s alert routing: amtool check-config' }
    [pscustomobject]@{ Command = 'initdb'; Package = 'postgresql'; Paths = @('/usr/lib/postgresql/*/bin/initdb'); Why = 'database readiness against a real PostgreSQL (initdb, pg_ctl)' }
)

function Test-TestTool($Tool) {
    if ($null -ne (Get-Command $Tool.Command -CommandType Application -ErrorAction SilentlyContinue)) { return $true }
    foreach ($pattern in $Tool.Paths) {
        if (@(Get-ChildItem -Path $pattern -ErrorAction SilentlyContinue).Count -gt 0) { return $true }
    }
    return $false
}

function Get-MissingTestTools {
    @($TestTools | Where-Object { -not (Test-TestTool $_) })
}

# Installs the missing test tools from Debian when this is a Debian-like machine and the user may install
# (root, or sudo without a password); otherwise stops and names exactly what to install.
function Invoke-Prerequisites {
    Write-Step 'prerequisites: the tools the tests drive besides the .NET SDK'
    $missing = @(Get-MissingTestTools)
    foreach ($tool in $TestTools) {
        $state = if ($missing -contains $tool) { 'missing' } else { 'found' }
        Write-Host "    $($tool.Command) ($state; Debian package $($tool.Package)): $($tool.Why)"
    }
    if ($missing.Count -eq 0) { return }

    $packages = @($missing | ForEach-Object { $_.Package } | Select-Object -Unique)
    $command = "apt-get update && apt-get install -y --no-install-recommends $($packages -join ' ')"
    if ($CheckOnly) {
        throw "Step 'prerequisites' failed: missing $(@($missing | ForEach-Object { $_.Command }) -join ', '); install them with: $command"
    }
    $aptGet = Get-Command 'apt-get' -CommandType Application -ErrorAction SilentlyContinue
    if ($null -eq $aptGet) {
        throw "Step 'prerequisites' failed: missing $(@($missing | ForEach-Object { $_.Command }) -join ', ') and there is no apt-get here; install the equivalent of Debian's $($packages -join ', ') so that $(@($missing | ForEach-Object { $_.Command }) -join ' and ') is on PATH."
    }
    $prefix = @()
    if ((& id -u) -ne '0') {
        & sudo -n true 2>$null
        if ($LASTEXITCODE -ne 0) {
            throw "Step 'prerequisites' failed: missing $(@($missing | ForEach-Object { $_.Command }) -join ', '); as root run: $command"
        }
        $prefix = @('sudo', '-n')
    }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    foreach ($arguments in @(@('update'), @(@('install', '-y', '--no-install-recommends') + $packages))) {
        $all = @($prefix + @('apt-get') + $arguments)
        Invoke-Step 'prerequisites: apt-get' $all[0] @($all | Select-Object -Skip 1)
    }
    $still = @(Get-MissingTestTools)
    if ($still.Count -gt 0) {
        throw "Step 'prerequisites' failed: after apt-get, $(@($still | ForEach-Object { $_.Command }) -join ', ') is still not on PATH."
    }
}

function Invoke-Test {
    Invoke-Prerequisites
    # Playwright drives Debian's chromium; it must never try to download a browser of its own.
    $env:PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'
    Invoke-Pack
    Write-Step 'test: every test project (unit and end-to-end)'
    $results = Join-Path $Artifacts 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $env:OPERABILITY_PACKAGES = $Packages
    $env:OPERABILITY_CONFIGURATION = $Configuration
    Write-Host "    dotnet test $Solution -c $Configuration --no-build --logger trx --results-directory $results" -ForegroundColor DarkGray
    & dotnet test $Solution -c $Configuration --no-build --logger 'trx' --results-directory $results
    $testExit = $LASTEXITCODE

    # One summary over every test assembly, from the TRX files.
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $doc = Get-Content -LiteralPath $trx.FullName -Raw
        $counters = $doc.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $skipped += [int] $counters.notExecuted
    }
    Write-Host ''
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    if ($testExit -ne 0) {
        throw "Step 'test' failed: dotnet test exited with code $testExit."
    }
    if ($passed -eq 0) {
        throw "Step 'test' failed: no test ran."
    }
}

# Scaffolds a service with 'dotnet new operable-service' from the packed template (installed into a private
# template hive), builds it in CI mode, runs its tests, starts it on 127.0.0.1, shows its health, stops it.
function Invoke-TemplateDemo {
    $demo = Join-Path $Artifacts 'demo'
    $hive = Join-Path $demo 'template-hive'
    $service = Join-Path $demo 'orders'
    foreach ($path in $hive, $service) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
    New-Item -ItemType Directory -Force -Path $demo | Out-Null
    # The scaffold restores the packed Operability packages from artifacts/packages, and the rest from the default feed.
    Set-Content -Path (Join-Path $demo 'nuget.config') -Value @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="operability-local" value="$Packages" />
  </packageSources>
</configuration>
"@
    # Nothing of the repository's own build settings reaches the scaffold.
    Set-Content -Path (Join-Path $demo 'Directory.Build.targets') -Value '<Project />'

    $template = Get-ChildItem $Packages -Filter 'Operability.Templates.*.nupkg' | Select-Object -First 1
    if ($null -eq $template) {
        throw "Step 'demo: template' failed: no Operability.Templates package in $Packages."
    }

    Write-Step "demo: dotnet new install $($template.Name) (a private template hive in $hive)"
    Invoke-Step 'demo: install the template' 'dotnet' @('new', 'install', $template.FullName, '--debug:custom-hive', $hive)

    Write-Step 'demo: dotnet new operable-service: orders, owned by team-orders, 810000 an hour at risk, daily deployments'
    Invoke-Step 'demo: scaffold' 'dotnet' @('new', 'operable-service', '-n', 'Orders', '-o', $service, '--debug:custom-hive', $hive,
        '--owner', 'team-orders', '--financial-exposure', '810000', '--feature-demand', 'very-high',
        '--database', 'orders-db', '--dependency', 'payments', '--chat-channel', '#team-orders', '--product-domain', 'checkout')

    Write-Step 'demo: the scaffold builds in CI mode with zero warnings (operability rules are errors there)'
    $buildArgs = @('build', $service, '--nologo', '-p:ContinuousIntegrationBuild=true')
    Write-Host "    dotnet $($buildArgs -join ' ')" -ForegroundColor DarkGray
    $buildOutput = & dotnet @buildArgs 2>&1 | ForEach-Object { "$_" }
    $buildExit = $LASTEXITCODE
    $buildOutput | Select-Object -Last 6 | ForEach-Object { Write-Host $_ }
    if ($buildExit -ne 0) {
        $buildOutput | ForEach-Object { Write-Host $_ }
        throw "Step 'demo: build the scaffold' failed: dotnet build exited with code $buildExit."
    }
    if (-not ($buildOutput -match '^\s*0 Warning\(s\)')) {
        throw "Step 'demo: build the scaffold' failed: the freshly scaffolded service has warnings; see the output above."
    }

    Write-Step 'demo: its tests (health, shutter, orders-db readiness, payments timeout and circuit breaker)'
    Invoke-Step 'demo: test the scaffold' 'dotnet' @('test', $service, '--no-build', '--nologo')

    Write-Step 'demo: start it on 127.0.0.1 (a TCP listener stands in for orders-db) and ask for its health'
    $database = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $database.Start()
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $url = "http://127.0.0.1:$port"
    $projectDir = Join-Path $service 'src/Orders'
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add((Join-Path $projectDir 'bin/Debug/net10.0/Orders.dll'))
    $start.ArgumentList.Add('--urls')
    $start.ArgumentList.Add($url)
    $start.WorkingDirectory = $projectDir
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['ASPNETCORE_ENVIRONMENT'] = 'Production'
    $start.Environment['ConnectionStrings__orders-db'] = "Host=127.0.0.1;Port=$($database.LocalEndpoint.Port);Database=orders-db"
    # Outside Development /operability answers anonymous callers 403; the demo opens it deliberately to show it.
    $start.Environment['Operability__Endpoints__AnonymousReport'] = 'true'
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $ready = $null
        $deadline = (Get-Date).AddSeconds(60)
        while ((Get-Date) -lt $deadline -and -not $process.HasExited) {
            try {
                $ready = Invoke-WebRequest -Uri "$url/health/ready" -SkipHttpErrorCheck -TimeoutSec 5
                if ($ready.StatusCode -eq 200) { break }
            }
            catch {
                # Not listening yet.
            }
            Start-Sleep -Milliseconds 250
        }
        if ($null -eq $ready -or $ready.StatusCode -ne 200) {
            throw "Step 'demo: run the scaffold' failed: $url/health/ready did not answer 200 within 60 s."
        }
        Write-Host "    GET $url/health/ready -> $($ready.StatusCode)"
        Write-Host "    $($ready.Content)"
        $report = Invoke-RestMethod -Uri "$url/operability" -TimeoutSec 5
        Write-Host "    GET $url/operability -> service $($report.service), owner $($report.owner), target $($report.availabilityTarget)%, tolerable unavailability $($report.tolerableUnavailabilityPerWeek.display) a week"
        Write-Host "    (opened with Operability__Endpoints__AnonymousReport=true; without it, or a policy, anonymous callers get 403 outside Development)"
    }
    finally {
        if (-not $process.HasExited) {
            $process.Kill($true)
            $process.WaitForExit(10000) | Out-Null
        }
        $process.Dispose()
        $database.Stop()
    }
    Write-Host '    stopped.'
    Write-Host ''
    Write-Host "The scaffolded service is in $service. Look at:" -ForegroundColor Green
    Write-Host "    RUNBOOK.md                         its runbook: owner, 99.9% -> 0:10:05 a week, on call, failure scenarios, shutter, rollback"
    Write-Host "    src/Orders/operability.json        owner and targets, read by the analyzers and the runtime"
    Write-Host "    deploy/prometheus/alerts.yml       burn-rate alerts on the error budget"
    Write-Host "    deploy/kubernetes/                 3 replicas across zones, PodDisruptionBudget, probes, shutter ConfigMap"
    Write-Host "    deploy/prometheus/alerts.test.yml  promtool tests that prove the alerts page and ticket when they should"
    Write-Host "    .github/workflows/ci.yml           CI: build in CI mode, test, promtool test rules, upload SARIF (pinned actions, least privilege)"
}

function Invoke-Demo {
    Invoke-Pack
    $samples = Join-Path $Root 'samples'
    $cache = Join-Path $Artifacts 'demo/nuget-packages'
    # A private package cache, so the freshly packed analyzers are used, not an older copy of the same version.
    if (Test-Path $cache) {
        Get-ChildItem $cache -Directory -Filter 'operability.*' | Remove-Item -Recurse -Force
    }
    $env:NUGET_PACKAGES = $cache
    # The demo shows warnings as a developer sees them; CI mode is shown once at the end.
    foreach ($name in 'CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'ContinuousIntegrationBuild') {
        Remove-Item "Env:$name" -ErrorAction SilentlyContinue
    }

    Invoke-TemplateDemo

    Write-Step "demo: an operable service (manifest, owner, target, runbook) builds clean against the organisation's policy (samples/organisation)"
    $orders = Join-Path $samples 'estate/orders/Orders.csproj'
    Invoke-Step 'demo: build samples/estate/orders' 'dotnet' @('build', $orders, '-c', 'Debug', '--nologo', '-v', 'q', '-clp:NoSummary')

    Write-Step "demo: the organisation's bands change orders' target: with the playbook's example bands instead, OPS306 (info) says 99.99% is not what 810,000 an hour selects"
    # Info diagnostics do not reach the console: read them from the compiler's SARIF log.
    $sarif = Join-Path $Artifacts 'demo/orders-playbook-bands.sarif'
    if (Test-Path $sarif) { Remove-Item $sarif -Force }
    Invoke-Step "demo: build orders with the playbook's bands" 'dotnet' @('build', $orders, '-c', 'Debug', '--nologo', '--no-incremental', '-v', 'q', '-clp:NoSummary',
        '-p:OperabilityOrganisationPolicy=', '-p:OperabilityOrganisationPolicyLookup=false', "-p:ErrorLog=$sarif%2Cversion=2.1")
    $ops306 = @((Get-Content $sarif -Raw | ConvertFrom-Json).runs[0].results | Where-Object { $_.ruleId -eq 'OPS306' })
    if ($ops306.Count -eq 0) {
        throw "Step 'demo: orders with the playbook's bands' failed: no OPS306 in $sarif."
    }
    foreach ($result in $ops306) {
        $region = $result.locations[0].physicalLocation.region
        Write-Host "    operability.json($($region.startLine),$($region.startColumn)): info OPS306: $($result.message.text)"
    }
    Write-Host "    With the organisation's policy (as the estate builds it) the same manifest is clean: 810,000 GBP an hour selects 99.99% there."

    Write-Step 'demo: a worker that reads the orders database directly: OPS201/202/203 (warnings while it opts out of CI errors)'
    Invoke-Step 'demo: build samples/estate/order-reports' 'dotnet' @('build', (Join-Path $samples 'estate/order-reports/OrderReports.csproj'), '-c', 'Debug', '--nologo', '--no-incremental', '-v', 'q', '-clp:NoSummary')

    Write-Step 'demo: a deliberately non-operable service shows the analyzers (warnings, build succeeds)'
    Invoke-Step 'demo: build samples/legacy-catalog' 'dotnet' @('build', (Join-Path $samples 'legacy-catalog/LegacyCatalog.csproj'), '-c', 'Debug', '--nologo', '--no-incremental', '-v', 'q', '-clp:NoSummary')

    Write-Step 'demo: the same service in CI mode (-p:ContinuousIntegrationBuild=true): the build fails'
    $ciArgs = @('build', (Join-Path $samples 'legacy-catalog/LegacyCatalog.csproj'), '-c', 'Debug', '--nologo', '--no-incremental', '-v', 'q', '-clp:NoSummary',
        '-p:ContinuousIntegrationBuild=true', '-p:OperabilityErrorsInCI=true')
    Write-Host "    dotnet $($ciArgs -join ' ')" -ForegroundColor DarkGray
    $ciOutput = & dotnet @ciArgs 2>&1 | ForEach-Object { "$_" }
    $ciExit = $LASTEXITCODE
    $ciOutput | ForEach-Object { Write-Host $_ }
    if ($ciExit -eq 0) {
        throw "Step 'demo: CI mode' failed: the non-operable sample built successfully in CI mode; OPS rules should have failed it."
    }
    if (-not ($ciOutput -match 'error OPS\d{3}')) {
        throw "Step 'demo: CI mode' failed: the build failed (exit code $ciExit) but not on an OPS error; see the output above."
    }

    Invoke-EstateDemo $samples

    Write-Host ''
    Write-Host 'Demo done: the CI-mode build failed on OPS errors, as it should.' -ForegroundColor Green
    Write-Host "Rules are documented in $(Join-Path $Root 'docs/rules')."
}

# The estate view: the packed dotnet-operability tool, installed into a folder of the demo's own, over samples/estate.
function Invoke-EstateDemo([string] $Samples) {
    $cliPackage = @(Get-ChildItem $Packages -Filter 'Operability.Cli.*.nupkg')
    if ($cliPackage.Count -ne 1) {
        throw "Step 'demo: estate' failed: expected one Operability.Cli package in $Packages, found $($cliPackage.Count)."
    }
    $version = $cliPackage[0].Name.Substring('Operability.Cli.'.Length) -replace '\.nupkg$', ''
    $tools = Join-Path $Artifacts 'demo/tools'
    if (Test-Path $tools) { Remove-Item $tools -Recurse -Force }
    Write-Step 'demo: the estate view with the packed dotnet-operability tool'
    Invoke-Step 'demo: install dotnet-operability' 'dotnet' @('tool', 'install', 'Operability.Cli', '--version', $version, '--tool-path', $tools, '--add-source', $Packages)
    $tool = Join-Path $tools 'dotnet-operability'
    $estate = Join-Path $Samples 'estate'
    $policy = Join-Path $Samples 'organisation/operability.organisation.json'

    Write-Step "demo: estate check: six services of three product domains, judged by the organisation's policy"
    Invoke-Step 'demo: estate check' $tool @('estate', 'check', $estate, '--policy', $policy)

    Write-Step 'demo: estate check over the estate and a proposed service (samples/estate-proposed) that claims stock-db: an error, exit code 1'
    $checkArgs = @('estate', 'check', $estate, (Join-Path $Samples 'estate-proposed'), '--policy', $policy)
    Write-Host "    $tool $($checkArgs -join ' ')" -ForegroundColor DarkGray
    & $tool @checkArgs
    if ($LASTEXITCODE -ne 1) {
        throw "Step 'demo: estate check with the proposal' failed: expected exit code 1 (an error-level finding), got $LASTEXITCODE."
    }

    Write-Step 'demo: estate on-call: team and domain schedules against one per team, with their standby cost'
    Invoke-Step 'demo: estate on-call' $tool @('estate', 'on-call', $estate, '--policy', $policy)

    Write-Step 'demo: estate traffic-light: every service green, amber or red on the operating model, and why'
    Invoke-Step 'demo: estate traffic-light' $tool @('estate', 'traffic-light', $estate, '--policy', $policy)

    $report = Join-Path $Artifacts 'demo/estate-report.html'
    Write-Step "demo: estate report: the estate on one self-contained page, $report"
    Invoke-Step 'demo: estate report' $tool @('estate', 'report', $estate, '--policy', $policy, '--format', 'html', '--output', $report)

    $backstage = Join-Path $Artifacts 'demo/backstage'
    $openSlo = Join-Path $Artifacts 'demo/openslo'
    foreach ($dir in $backstage, $openSlo) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    Write-Step "demo: estate export: Backstage entities into $backstage, OpenSLO documents into $openSlo"
    Invoke-Step 'demo: estate export' $tool @('estate', 'export', $estate, '--policy', $policy, '--backstage', $backstage, '--openslo', $openSlo)
}

function Invoke-Clean {
    Write-Step 'clean: artifacts/, bin/, obj/'
    if (Test-Path $Artifacts) { Remove-Item $Artifacts -Recurse -Force }
    foreach ($dir in 'src', 'tests', 'samples', 'templates') {
        $path = Join-Path $Root $dir
        if (Test-Path $path) {
            Get-ChildItem $path -Directory -Recurse -Include 'bin', 'obj' | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

try {
    Push-Location $Root
    switch ($Target) {
        'build' { Invoke-Build }
        'pack' { Invoke-Pack }
        'test' { Invoke-Test }
        'demo' { Invoke-Demo }
        'clean' { Invoke-Clean }
        'prerequisites' { Invoke-Prerequisites }
    }
    Write-Host ''
    Write-Host "build.ps1 $Target succeeded." -ForegroundColor Green
}
catch {
    Write-Host ''
    Write-Host "build.ps1 $Target FAILED: $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
finally {
    Pop-Location
}
