using System.Text.Json.Nodes;
using Strata.Sandbox;

/// <summary>
/// The benchmark's cluster: 35% ConfigMaps and 35% Secrets of about 2 KB, 5% Deployments,
/// 5% Services and 20% custom resources of one CRD, spread over 20 namespaces.
/// </summary>
internal static class Seeder
{
    public static int Seed(SandboxApiServer server, int total)
    {
        var random = new Random(42);
        var namespaces = Enumerable.Range(0, 20).Select(i => $"team-{i:D2}").ToList();
        namespaces.ForEach(ns => server.CreateNamespace(ns));
        server.Create(SampleApplication.WidgetCrd());
        var count = 0;
        void Add(JsonObject obj)
        {
            server.Create(obj);
            count++;
        }

        for (var i = 0; i < total * 35 / 100; i++)
        {
            var ns = namespaces[i % namespaces.Count];
            Add(SampleApplication.Obj("v1", "ConfigMap", ns, $"config-{i:D6}", new() { ["app"] = $"app-{i % 50}" },
                extra: o => o["data"] = new JsonObject { ["settings.json"] = Text(random, 1900) }));
        }

        for (var i = 0; i < total * 35 / 100; i++)
        {
            var ns = namespaces[i % namespaces.Count];
            Add(SampleApplication.Obj("v1", "Secret", ns, $"secret-{i:D6}", new() { ["app"] = $"app-{i % 50}" },
                extra: o => o["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Bytes(random, 1400)) }));
        }

        for (var i = 0; i < total * 5 / 100; i++)
        {
            Add(SampleApplication.Deployment(namespaces[i % namespaces.Count], $"deploy-{i:D6}", "backend"));
            Add(SampleApplication.Service(namespaces[i % namespaces.Count], $"svc-{i:D6}", "backend"));
        }

        for (var i = count; i < total; i++)
        {
            Add(SampleApplication.Widget(namespaces[i % namespaces.Count], $"widget-{i:D6}", i % 7));
        }

        return count;
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Text(Random random, int length)
    {
        const string Words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau ";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(10) == 0 ? (char)('0' + random.Next(10)) : Words[random.Next(Words.Length)];
        }

        return new string(chars);
    }
}
