using Codify.Contracts;

namespace Codify.Tests.Sandbox;

/// <summary>The popular Debian Python libraries work inside the sandbox.</summary>
[SandboxTier]
public sealed class PythonLibrariesTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    [Fact]
    public async Task Numpy_pandas_and_matplotlib_import_and_a_png_is_saved_in_the_work_dir()
    {
        const string code = """
            import os
            import numpy as np
            import pandas as pd
            import matplotlib
            import matplotlib.pyplot as plt
            frame = pd.DataFrame({'x': np.arange(5), 'y': np.arange(5) ** 2})
            plt.plot(frame.x, frame.y)
            plt.savefig('plot.png')
            with open('plot.png', 'rb') as f:
                print(f.read(8) == b'\x89PNG\r\n\x1a\n', int(frame.y.sum()), matplotlib.get_backend())
            """;

        var result = await sandbox.RunAsync("python", code, limits: SandboxRunnerFixture.Limits(wallMs: 20_000));

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal("true 30 agg\n", result.Stdout.ToLowerInvariant());
    }
}
