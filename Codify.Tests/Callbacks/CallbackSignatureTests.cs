using System.Text;
using Codify.ExecutionApi.Callbacks;

namespace Codify.Tests.Callbacks;

[UnitTier]
public sealed class CallbackSignatureTests
{
    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body_as_documented()
    {
        // Reference value computed outside .NET: python3 hmac.new(secret, b"1700000000." + body, sha256).hexdigest()
        var body = Encoding.UTF8.GetBytes("""{"id":"abc","status":"completed"}""");

        var signature = CallbackSignature.Compute("test-secret-0123456789", 1_700_000_000, body);

        Assert.Equal("sha256=d9acdc44caa25331a267eb5768e09c6512b506dc0e21255922279c27871c53ee", signature);
    }

    [Fact]
    public void Changing_the_timestamp_changes_the_signature()
    {
        var body = Encoding.UTF8.GetBytes("{}");

        Assert.NotEqual(CallbackSignature.Compute("test-secret-0123456789", 1, body), CallbackSignature.Compute("test-secret-0123456789", 2, body));
    }
}
