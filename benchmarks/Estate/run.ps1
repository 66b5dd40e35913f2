#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times the dotnet-operability estate views on a generated estate.

.DESCRIPTION
    dotnet pwsh benchmarks/Estate/run.ps1 [-Count 10000] [-Folder path] [-Tool path] [-Skip export]

    Writes -Count manifests into -Folder (a fresh temporary folder by default), one folder per service, shaped like
    a large organisation's estate: 10 services a team, 6 teams a product domain, targets spread over 95.0 to 99.99,
    one database per service and about 1 in 50 databases claimed by a second service, plus a policy naming every
    team and domain. Then runs each estate view once to warm the file cache and three times measured, printing the
    best wall-clock time and the peak resident memory (from /usr/bin/time when it is there).
    -Tool is the dotnet-operability to run (default: the Release build under src/Operability.Cli/bin).
#>
[CmdletBinding()]
param(
    [int] $Count = 10000,
    [string] $Folder = '',
    [string] $Tool = '',
    # Views not to time, e.g. -Skip export (it writes a file a service).
    [string[]] $Skip = @()
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
if ($Tool -eq '') {
    $Tool = Join-Path $root 'src/Operability.Cli/bin/Release/net10.0/dotnet-operability'
    if (-not (Test-Path $Tool)) {
        & dotnet build (Join-Path $root 'src/Operability.Cli') -c Release -v q -clp:NoSummary
        if ($LASTEXITCODE -ne 0) { throw 'building src/Operability.Cli failed' }
    }
}
if ($Folder -eq '') {
    $Folder = Join-Path ([IO.Path]::GetTempPath()) "operability-estate-$Count"
}
if (Test-Path $Folder) { Remove-Item $Folder -Recurse -Force }
$services = Join-Path $Folder 'services'
New-Item -ItemType Directory -Force -Path $services | Out-Null

$targets = @('95.0', '99.0', '99.0', '99.5', '99.9', '99.9', '99.95', '99.99')
$demands = @('low', 'medium', 'high', 'very-high')
$teamCount = [Math]::Max(1, [int][Math]::Ceiling($Count / 10))
$domainCount = [Math]::Max(1, [int][Math]::Ceiling($teamCount / 6))
$watch = [Diagnostics.Stopwatch]::StartNew()
for ($i = 0; $i -lt $Count; $i++) {
    $team = $i % $teamCount
    $domain = $team % $domainCount
    $database = if ($i % 50 -eq 49) { "db-$($i - 1)" } else { "db-$i" }
    $dependency = if ($i -gt 0) { ", `"dependencies`": [ { `"name`": `"service-$($i - 1)`", `"timeout`": `"00:00:02`" } ]" } else { '' }
    $text = "{`n  `"service`": `"service-$i`",`n  `"owner`": `"team-$team`",`n  `"productDomain`": `"domain-$domain`",`n" +
        "  `"availability`": { `"target`": $($targets[$i % $targets.Count]) },`n" +
        "  `"deployment`": { `"featureDemand`": `"$($demands[$i % $demands.Count])`" },`n" +
        "  `"databases`": [ { `"name`": `"$database`" } ]$dependency`n}`n"
    $dir = Join-Path $services "service-$i"
    [IO.Directory]::CreateDirectory($dir) | Out-Null
    [IO.File]::WriteAllText((Join-Path $dir 'operability.json'), $text)
}
$teams = (0..($teamCount - 1) | ForEach-Object { "    { `"id`": `"team-$_`", `"productDomains`": [`"domain-$($_ % $domainCount)`"], `"outOfHoursRota`": 4 }" }) -join ",`n"
$domains = (0..($domainCount - 1) | ForEach-Object { "    { `"id`": `"domain-$_`", `"groupedBy`": `"customer-journey`" }" }) -join ",`n"
$policy = Join-Path $Folder 'operability.organisation.json'
[IO.File]::WriteAllText($policy, "{`n  `"currency`": `"GBP`",`n  `"standbyCostPerWeek`": 1200,`n  `"productDomains`": [`n$domains`n  ],`n  `"teams`": [`n$teams`n  ]`n}`n")
Write-Host "generated $Count manifests ($teamCount teams, $domainCount product domains) in $services in $([int]$watch.Elapsed.TotalSeconds) s"

$time = Get-Command '/usr/bin/time' -ErrorAction SilentlyContinue
$views = @(
    @('estate', 'check', $services, '--policy', $policy, '--format', 'json'),
    @('estate', 'on-call', $services, '--policy', $policy, '--format', 'json')
)
# Views this build of the tool has besides check and on-call, each with the output it is used for.
$estateHelp = (& $Tool estate --help 2>&1 | Out-String)
$extras = [ordered]@{
    'traffic-light' = @('--format', 'json')
    'report'        = @('--format', 'html', '--output', (Join-Path $Folder 'report.html'))
    'export'        = @('--backstage', (Join-Path $Folder 'backstage'), '--openslo', (Join-Path $Folder 'openslo'))
}
foreach ($extra in $extras.Keys) {
    if ($Skip -notcontains $extra -and $estateHelp -match "(?m)^\s+$extra\b") { $views += , (@('estate', $extra, $services, '--policy', $policy) + $extras[$extra]) }
}
Write-Host ''
Write-Host ('{0,-22} {1,10} {2,14}' -f 'view', 'best (s)', 'peak RSS (MiB)')
foreach ($view in $views) {
    & $Tool @view *> $null
    $best = [double]::MaxValue
    $rss = 0
    for ($round = 0; $round -lt 3; $round++) {
        $log = [IO.Path]::GetTempFileName()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        if ($null -ne $time) {
            & /usr/bin/time -f '%M' -o $log $Tool @view *> $null
        } else {
            & $Tool @view *> $null
        }
        $elapsed = $watch.Elapsed.TotalSeconds
        if ($LASTEXITCODE -gt 1) { throw "'$Tool $($view -join ' ')' exited with code $LASTEXITCODE" }
        if ($elapsed -lt $best) { $best = $elapsed }
        if ($null -ne $time) { $rss = [Math]::Max($rss, [int](Get-Content $log | Select-Object -Last 1)) }
        Remove-Item $log -Force
    }
    $name = "$($view[0]) $($view[1])"
    $memory = if ($null -ne $time) { '{0:N0}' -f ($rss / 1024) } else { 'n/a' }
    Write-Host ('{0,-22} {1,10:N2} {2,14}' -f $name, $best, $memory)
}
