using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// Fix-all for the fixes that edit a project's operability.json rather than the code (OPS201, OPS301). The
    /// batch fixer merges document edits one diagnostic at a time, which for a file that is added or edited per
    /// project would add one manifest per diagnostic or keep only one of the edits; here a project's diagnostics are
    /// handed over together, so each project gets one manifest, and each database is declared once.
    /// Supports the scopes <c>dotnet format</c> and the IDE use: document, project and solution.
    /// </summary>
    internal sealed class ProjectFixAllProvider : FixAllProvider
    {
        private static readonly ImmutableArray<FixAllScope> Scopes = ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution);

        private readonly string _title;
        private readonly Func<Project, ImmutableArray<Diagnostic>, CancellationToken, Task<Solution>> _fixProject;

        /// <param name="title">The fix-all action's title.</param>
        /// <param name="fixProject">
        /// Applies the fix for a project's diagnostics and returns the changed solution.
        /// </param>
        public ProjectFixAllProvider(string title, Func<Project, ImmutableArray<Diagnostic>, CancellationToken, Task<Solution>> fixProject)
        {
            _title = title;
            _fixProject = fixProject;
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => Scopes;

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
            Task.FromResult<CodeAction?>(CodeAction.Create(_title, token => FixAsync(fixAllContext, token), fixAllContext.CodeActionEquivalenceKey));

        private async Task<Solution> FixAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var solution = context.Solution;
            var projects = context.Scope == FixAllScope.Solution ? solution.ProjectIds : (IReadOnlyList<ProjectId>)new[] { context.Project.Id };
            foreach (var projectId in projects)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var original = context.Solution.GetProject(projectId);
                if (original is null)
                {
                    continue;
                }

                var diagnostics = context.Scope == FixAllScope.Document && context.Document is { } document
                    ? await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)
                    : await context.GetAllDiagnosticsAsync(original).ConfigureAwait(false);
                var project = solution.GetProject(projectId);
                if (diagnostics.IsEmpty || project is null)
                {
                    continue;
                }

                solution = await _fixProject(project, diagnostics, cancellationToken).ConfigureAwait(false);
            }

            return solution;
        }
    }
}
