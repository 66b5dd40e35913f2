using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The scaffold's Kubernetes manifests, checked offline. No Kubernetes schemas can be had here (no kubeconform
    /// or kubeval package, and their schemas are downloaded), so two checks stand in for schema validation:
    /// <list type="bullet">
    /// <item>the shape of every object: each field used is a field of its Kubernetes type (API reference, v1.30+),
    /// with the value type the API server decodes — an integer where it wants an integer, a quoted string where
    /// a plain scalar would decode as a number or a boolean (an env var's <c>value: 20</c> is rejected);</item>
    /// <item>every control of the <i>restricted</i> Pod Security Standard (kubernetes.io/docs/concepts/security/
    /// pod-security-standards), the baseline's included, as the Pod Security admission controller applies them.</item>
    /// </list>
    /// Plus what a rollout needs: a preStop delay inside a grace period that also covers the host's shutdown, a
    /// readiness timeout longer than the health report's bound, and an image that kustomize pins.
    /// </summary>
    internal static class KubernetesChecks
    {
        private const string Text = "string";
        private const string Integer = "integer";
        private const string Boolean = "boolean";
        private const string IntOrString = "int-or-string";
        private const string StringMap = "map[string]string";

        /// <summary>The fields of the Kubernetes types the manifests use: type → field → field type ("[T]" a list).</summary>
        private static readonly Dictionary<string, Dictionary<string, string>> Types = new()
        {
            ["ObjectMeta"] = new() { ["name"] = Text, ["labels"] = StringMap, ["annotations"] = StringMap },
            ["Deployment"] = new() { ["apiVersion"] = Text, ["kind"] = Text, ["metadata"] = "ObjectMeta", ["spec"] = "DeploymentSpec" },
            ["DeploymentSpec"] = new() { ["replicas"] = Integer, ["revisionHistoryLimit"] = Integer, ["selector"] = "LabelSelector", ["strategy"] = "DeploymentStrategy", ["template"] = "PodTemplateSpec" },
            ["LabelSelector"] = new() { ["matchLabels"] = StringMap },
            ["DeploymentStrategy"] = new() { ["type"] = Text, ["rollingUpdate"] = "RollingUpdateDeployment" },
            ["RollingUpdateDeployment"] = new() { ["maxUnavailable"] = IntOrString, ["maxSurge"] = IntOrString },
            ["PodTemplateSpec"] = new() { ["metadata"] = "ObjectMeta", ["spec"] = "PodSpec" },
            ["PodSpec"] = new()
            {
                ["automountServiceAccountToken"] = Boolean, ["terminationGracePeriodSeconds"] = Integer, ["serviceAccountName"] = Text,
                ["topologySpreadConstraints"] = "[TopologySpreadConstraint]", ["securityContext"] = "PodSecurityContext",
                ["containers"] = "[Container]", ["volumes"] = "[Volume]",
            },
            ["TopologySpreadConstraint"] = new() { ["maxSkew"] = Integer, ["topologyKey"] = Text, ["whenUnsatisfiable"] = Text, ["labelSelector"] = "LabelSelector" },
            ["PodSecurityContext"] = new() { ["runAsNonRoot"] = Boolean, ["runAsUser"] = Integer, ["runAsGroup"] = Integer, ["fsGroup"] = Integer, ["seccompProfile"] = "SeccompProfile" },
            ["SeccompProfile"] = new() { ["type"] = Text, ["localhostProfile"] = Text },
            ["Container"] = new()
            {
                ["name"] = Text, ["image"] = Text, ["imagePullPolicy"] = Text, ["ports"] = "[ContainerPort]", ["env"] = "[EnvVar]",
                ["volumeMounts"] = "[VolumeMount]", ["livenessProbe"] = "Probe", ["readinessProbe"] = "Probe", ["startupProbe"] = "Probe",
                ["lifecycle"] = "Lifecycle", ["resources"] = "ResourceRequirements", ["securityContext"] = "SecurityContext",
            },
            ["ContainerPort"] = new() { ["name"] = Text, ["containerPort"] = Integer, ["protocol"] = Text },
            ["EnvVar"] = new() { ["name"] = Text, ["value"] = Text, ["valueFrom"] = "EnvVarSource" },
            ["EnvVarSource"] = new() { ["secretKeyRef"] = "KeySelector", ["configMapKeyRef"] = "KeySelector" },
            ["KeySelector"] = new() { ["name"] = Text, ["key"] = Text, ["optional"] = Boolean },
            ["VolumeMount"] = new() { ["name"] = Text, ["mountPath"] = Text, ["readOnly"] = Boolean },
            ["Probe"] = new()
            {
                ["httpGet"] = "HTTPGetAction", ["initialDelaySeconds"] = Integer, ["periodSeconds"] = Integer, ["timeoutSeconds"] = Integer,
                ["successThreshold"] = Integer, ["failureThreshold"] = Integer,
            },
            ["HTTPGetAction"] = new() { ["path"] = Text, ["port"] = IntOrString },
            ["Lifecycle"] = new() { ["preStop"] = "LifecycleHandler" },
            ["LifecycleHandler"] = new() { ["sleep"] = "SleepAction", ["exec"] = "ExecAction", ["httpGet"] = "HTTPGetAction" },
            ["SleepAction"] = new() { ["seconds"] = Integer },
            ["ExecAction"] = new() { ["command"] = "[string]" },
            ["ResourceRequirements"] = new() { ["requests"] = StringMap, ["limits"] = StringMap },
            ["SecurityContext"] = new()
            {
                ["allowPrivilegeEscalation"] = Boolean, ["readOnlyRootFilesystem"] = Boolean, ["runAsNonRoot"] = Boolean, ["runAsUser"] = Integer,
                ["runAsGroup"] = Integer, ["capabilities"] = "Capabilities", ["seccompProfile"] = "SeccompProfile",
            },
            ["Capabilities"] = new() { ["drop"] = "[string]", ["add"] = "[string]" },
            ["Volume"] = new() { ["name"] = Text, ["configMap"] = "ConfigMapVolumeSource", ["secret"] = "SecretVolumeSource", ["emptyDir"] = "EmptyDirVolumeSource" },
            ["ConfigMapVolumeSource"] = new() { ["name"] = Text },
            ["SecretVolumeSource"] = new() { ["secretName"] = Text },
            ["EmptyDirVolumeSource"] = new() { ["medium"] = Text, ["sizeLimit"] = Text },
            ["Service"] = new() { ["apiVersion"] = Text, ["kind"] = Text, ["metadata"] = "ObjectMeta", ["spec"] = "ServiceSpec" },
            ["ServiceSpec"] = new() { ["selector"] = StringMap, ["ports"] = "[ServicePort]", ["type"] = Text },
            ["ServicePort"] = new() { ["name"] = Text, ["port"] = Integer, ["targetPort"] = IntOrString, ["protocol"] = Text },
            ["PodDisruptionBudget"] = new() { ["apiVersion"] = Text, ["kind"] = Text, ["metadata"] = "ObjectMeta", ["spec"] = "PodDisruptionBudgetSpec" },
            ["PodDisruptionBudgetSpec"] = new() { ["minAvailable"] = IntOrString, ["maxUnavailable"] = IntOrString, ["selector"] = "LabelSelector" },
            ["ConfigMap"] = new() { ["apiVersion"] = Text, ["kind"] = Text, ["metadata"] = "ObjectMeta", ["data"] = StringMap },
            ["Secret"] = new() { ["apiVersion"] = Text, ["kind"] = Text, ["metadata"] = "ObjectMeta", ["type"] = Text, ["stringData"] = StringMap },
        };

        private static readonly Dictionary<string, string> ApiVersions = new()
        {
            ["Deployment"] = "apps/v1", ["Service"] = "v1", ["PodDisruptionBudget"] = "policy/v1", ["ConfigMap"] = "v1", ["Secret"] = "v1",
        };

        /// <summary>The volume types the restricted standard allows.</summary>
        private static readonly string[] RestrictedVolumeTypes = { "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret" };

        /// <summary>Every core-API manifest (all but the Prometheus Operator's PodMonitor, a custom resource checked by its own test) has a valid shape.</summary>
        public static void CheckShapes(string directory)
        {
            foreach (var file in Directory.GetFiles(directory, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)))
            {
                var yaml = new YamlStream();
                yaml.Load(new StringReader(File.ReadAllText(file)));
                foreach (var document in yaml.Documents)
                {
                    var root = (YamlMappingNode)document.RootNode;
                    var kind = ((YamlScalarNode)root["kind"]).Value!;
                    if (kind == "PodMonitor")
                    {
                        continue;
                    }

                    Assert.True(ApiVersions.ContainsKey(kind), $"{Path.GetFileName(file)}: no shape is known for kind {kind}.");
                    Assert.Equal(ApiVersions[kind], ((YamlScalarNode)root["apiVersion"]).Value);
                    CheckShape(root, kind, $"{Path.GetFileName(file)}: {kind}");
                }
            }
        }

        /// <summary>
        /// The restricted Pod Security Standard, control by control (the baseline's first), for a pod spec, as
        /// Pod Security admission in <c>enforce: restricted</c> checks it.
        /// </summary>
        public static void CheckRestrictedPodSecurity(YamlMappingNode podSpec)
        {
            var pod = Child(podSpec, "securityContext");
            var containers = new[] { "containers", "initContainers", "ephemeralContainers" }
                .Where(key => podSpec.Children.ContainsKey(key))
                .SelectMany(key => ((YamlSequenceNode)podSpec[key]).Children.Cast<YamlMappingNode>())
                .ToList();
            Assert.NotEmpty(containers);
            var contexts = containers.Select(c => Child(c, "securityContext")).ToList();
            var all = contexts.Prepend(pod).ToList();

            // Baseline. HostProcess; host namespaces; privileged containers.
            Assert.All(all, c => Assert.NotEqual("true", Value(c, "windowsOptions", "hostProcess")));
            foreach (var hostNamespace in new[] { "hostNetwork", "hostPID", "hostIPC" })
            {
                Assert.NotEqual("true", Value(podSpec, hostNamespace));
            }

            Assert.All(contexts, c => Assert.NotEqual("true", Value(c, "privileged")));

            // HostPath volumes (and, restricted, only the allowed volume types).
            var volumes = podSpec.Children.ContainsKey("volumes") ? ((YamlSequenceNode)podSpec["volumes"]).Children.Cast<YamlMappingNode>().ToList() : new List<YamlMappingNode>();
            foreach (var volume in volumes)
            {
                var types = volume.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => k != "name").ToList();
                Assert.True(types.Count == 1 && RestrictedVolumeTypes.Contains(types[0]), $"Volume '{Value(volume, "name")}' has type {string.Join(", ", types)}: the restricted standard allows {string.Join(", ", RestrictedVolumeTypes)}.");
            }

            // Host ports; AppArmor; SELinux; /proc mount type; sysctls.
            foreach (var container in containers.Where(c => c.Children.ContainsKey("ports")))
            {
                Assert.All(((YamlSequenceNode)container["ports"]).Children.Cast<YamlMappingNode>(), p => Assert.True(Value(p, "hostPort") is null or "0", "No host ports."));
            }

            Assert.All(all, c => Assert.True(Value(c, "appArmorProfile", "type") is null or "RuntimeDefault" or "Localhost", "AppArmor is not turned off."));
            Assert.All(all, c => Assert.True(Value(c, "seLinuxOptions", "type") is null or "container_t" or "container_init_t" or "container_kvm_t" or "container_engine_t", "SELinux type is a container type."));
            Assert.All(all, c => Assert.Null(Value(c, "seLinuxOptions", "user")));
            Assert.All(all, c => Assert.Null(Value(c, "seLinuxOptions", "role")));
            Assert.All(contexts, c => Assert.True(Value(c, "procMount") is null or "Default", "The default /proc mount."));
            Assert.False(pod is not null && pod.Children.ContainsKey("sysctls"), "No sysctls.");

            // Restricted. Privilege escalation: explicitly off in every container.
            Assert.All(contexts, c => Assert.True(Value(c, "allowPrivilegeEscalation") == "false", "allowPrivilegeEscalation: false in every container."));

            // Running as non-root: set on the pod or on every container, and false nowhere; never user 0.
            Assert.True(Value(pod, "runAsNonRoot") == "true" || contexts.All(c => Value(c, "runAsNonRoot") == "true"), "runAsNonRoot: true on the pod or every container.");
            Assert.All(all, c => Assert.NotEqual("false", Value(c, "runAsNonRoot")));
            Assert.All(all, c => Assert.NotEqual("0", Value(c, "runAsUser")));

            // Seccomp: RuntimeDefault or Localhost on the pod or on every container; Unconfined nowhere.
            Assert.True(Value(pod, "seccompProfile", "type") is "RuntimeDefault" or "Localhost" || contexts.All(c => Value(c, "seccompProfile", "type") is "RuntimeDefault" or "Localhost"), "seccompProfile RuntimeDefault (or Localhost).");
            Assert.All(all, c => Assert.NotEqual("Unconfined", Value(c, "seccompProfile", "type")));

            // Capabilities: every container drops ALL, and adds nothing but NET_BIND_SERVICE.
            foreach (var context in contexts)
            {
                var drop = Strings(context, "capabilities", "drop");
                Assert.True(drop.Contains("ALL"), "Every container drops ALL capabilities.");
                Assert.All(Strings(context, "capabilities", "add"), added => Assert.Equal("NET_BIND_SERVICE", added));
            }
        }

        /// <summary>Graceful rollouts, probe timeouts, the pinned image and no service-account token.</summary>
        public static void CheckRollout(string directory, YamlMappingNode podSpec, YamlMappingNode container)
        {
            Assert.True(Value(podSpec, "automountServiceAccountToken") == "false", "automountServiceAccountToken: false (the service calls no Kubernetes API).");

            // A pod leaves the Service's endpoints while it is being stopped: it must keep serving for a while (preStop),
            // then drain (the host's shutdown timeout), all within the grace period.
            var env = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>()
                .Where(e => e.Children.ContainsKey("value"))
                .ToDictionary(e => Value(e, "name")!, e => Value(e, "value")!, StringComparer.OrdinalIgnoreCase);
            var preStop = Child(container, "lifecycle", "preStop");
            Assert.True(preStop is not null, "The container has a preStop delay (lifecycle.preStop).");
            var delay = int.Parse(Value(preStop, "sleep", "seconds") ?? "0", CultureInfo.InvariantCulture);
            Assert.True(delay >= 5, "preStop waits at least 5 s for the endpoints to drop the pod.");
            // ASP.NET Core's default HostOptions.ShutdownTimeout is 30 s unless the environment sets it.
            var shutdown = int.Parse(env.GetValueOrDefault("DOTNET_SHUTDOWNTIMEOUTSECONDS") ?? "30", CultureInfo.InvariantCulture);
            var grace = int.Parse(Value(podSpec, "terminationGracePeriodSeconds") ?? "30", CultureInfo.InvariantCulture);
            Assert.True(grace > delay + shutdown, $"terminationGracePeriodSeconds {grace} must exceed preStop {delay} s + shutdown {shutdown} s.");

            // The readiness report is bounded at Operability:Health:TimeoutSeconds (default 2) + 1 s: the probe must wait longer.
            var healthTimeout = double.Parse(env.GetValueOrDefault("Operability__Health__TimeoutSeconds") ?? "2", CultureInfo.InvariantCulture);
            var readinessTimeout = int.Parse(Value(container, "readinessProbe", "timeoutSeconds") ?? "1", CultureInfo.InvariantCulture);
            Assert.True(readinessTimeout > healthTimeout + 1, $"readinessProbe.timeoutSeconds {readinessTimeout} must exceed the report's bound of {healthTimeout + 1} s.");

            // The image carries no tag of its own: kustomization.yaml pins it (not to latest).
            var image = Value(container, "image")!;
            Assert.False(Regex.IsMatch(image, @"(:[^/]*|@sha256:.*)$"), $"deployment.yaml's image '{image}' has a tag or digest of its own: kustomization.yaml sets it.");
            var kustomization = new YamlStream();
            kustomization.Load(new StringReader(File.ReadAllText(Path.Combine(directory, "kustomization.yaml"))));
            var kustomizationRoot = (YamlMappingNode)kustomization.Documents[0].RootNode;
            Assert.True(kustomizationRoot.Children.ContainsKey("images"), "kustomization.yaml pins the image (images: with newTag or digest).");
            var images = ((YamlSequenceNode)kustomizationRoot["images"]).Children.Cast<YamlMappingNode>();
            var pin = Assert.Single(images, i => Value(i, "name") == image);
            var tag = Value(pin, "newTag");
            var digest = Value(pin, "digest");
            Assert.True(tag is { Length: > 0 } || digest is { Length: > 0 }, "kustomization.yaml sets the image's tag or digest.");
            Assert.NotEqual("latest", tag);
            if (tag is not null)
            {
                Assert.Matches(new Regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"), tag);
            }
        }

        private static void CheckShape(YamlNode node, string type, string where)
        {
            switch (type)
            {
                case Text:
                    var text = Assert.IsType<YamlScalarNode>(node);
                    Assert.False(text.Style == ScalarStyle.Plain && DecodesAsNonString(text.Value!), $"{where} is a string: quote '{text.Value}'.");
                    return;
                case Integer:
                    var integer = Assert.IsType<YamlScalarNode>(node);
                    Assert.True(integer.Style == ScalarStyle.Plain && long.TryParse(integer.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), $"{where} is an integer, not '{integer.Value}'.");
                    return;
                case Boolean:
                    var boolean = Assert.IsType<YamlScalarNode>(node);
                    Assert.True(boolean.Style == ScalarStyle.Plain && boolean.Value is "true" or "false", $"{where} is true or false, not '{boolean.Value}'.");
                    return;
                case IntOrString:
                    Assert.IsType<YamlScalarNode>(node);
                    return;
                case StringMap:
                    foreach (var (key, value) in Assert.IsType<YamlMappingNode>(node).Children)
                    {
                        CheckShape(value, Text, $"{where}.{((YamlScalarNode)key).Value}");
                    }

                    return;
            }

            if (type.StartsWith('['))
            {
                var items = Assert.IsType<YamlSequenceNode>(node).Children;
                for (var i = 0; i < items.Count; i++)
                {
                    CheckShape(items[i], type[1..^1], $"{where}[{i}]");
                }

                return;
            }

            var fields = Types[type];
            foreach (var (key, value) in Assert.IsType<YamlMappingNode>(node).Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                Assert.True(fields.ContainsKey(name), $"{where}: {type} has no field '{name}'.");
                CheckShape(value, fields[name], $"{where}.{name}");
            }
        }

        /// <summary>A plain scalar the API server's YAML decoder reads as a number, a boolean or null.</summary>
        private static bool DecodesAsNonString(string value) =>
            value is "true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "null" or "~" or ""
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

        private static YamlMappingNode? Child(YamlMappingNode? node, params string[] path)
        {
            foreach (var key in path)
            {
                if (node is null || !node.Children.TryGetValue(key, out var child))
                {
                    return null;
                }

                node = child as YamlMappingNode;
            }

            return node;
        }

        private static string? Value(YamlMappingNode? node, params string[] path)
        {
            var parent = Child(node, path[..^1]);
            return parent is not null && parent.Children.TryGetValue(path[^1], out var value) ? (value as YamlScalarNode)?.Value : null;
        }

        private static IReadOnlyList<string> Strings(YamlMappingNode? node, params string[] path)
        {
            var parent = Child(node, path[..^1]);
            return parent is not null && parent.Children.TryGetValue(path[^1], out var value)
                ? ((YamlSequenceNode)value).Children.Cast<YamlScalarNode>().Select(s => s.Value!).ToList()
                : Array.Empty<string>();
        }
    }
}
