// The cookie layout: kind in the high 8 bits, id in the low 56, and a delete by cookie/mask selects
// exactly one object's flows.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Planning;

namespace Patchbay.Core.Tests.Planning;

public sealed class CookiesTests
{
    [Fact]
    public void Of_ConversationSeven_PutsKindInHighByte()
    {
        Assert.Equal(0x0300_0000_0000_0007UL, Cookies.Of(FlowKind.Conversation, 7));
        Assert.Equal(0x0100_0000_0000_0000UL, Cookies.Of(FlowKind.Pipeline, 0));
    }

    [Fact]
    public void Of_IdWiderThan56Bits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cookies.Of(FlowKind.Endpoint, 1UL << 56));
    }

    [Fact]
    public void Of_UndefinedKind_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cookies.Of((FlowKind)9, 1));
    }

    [Fact]
    public void IsPatchbay_ForeignCookie_False()
    {
        Assert.False(Cookies.IsPatchbay(0));
        Assert.False(Cookies.IsPatchbay(0xff00_0000_0000_0001));
        Assert.True(Cookies.IsPatchbay(Cookies.Of(FlowKind.Endpoint, 3)));
    }

    [Fact]
    public void Of_AnyKindAndId_RoundTripsThroughKindOfAndIdOf()
    {
        Prop.ForAll(
            Gen.Elements(FlowKind.Pipeline, FlowKind.Endpoint, FlowKind.Conversation).ToArbitrary(),
            ArbMap.Default.ArbFor<ulong>(),
            (kind, raw) =>
            {
                ulong id = raw & Cookies.IdMask;
                ulong cookie = Cookies.Of(kind, id);
                return Cookies.KindOf(cookie) == kind && Cookies.IdOf(cookie) == id && (cookie & Cookies.KindMask) >> 56 == (ulong)kind;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ExactMask_SelectsOneObject_NotItsNeighbourOfAnotherKind()
    {
        ulong endpoint = Cookies.Of(FlowKind.Endpoint, 42);
        ulong conversation = Cookies.Of(FlowKind.Conversation, 42);
        Assert.NotEqual(endpoint & Cookies.ExactMask, conversation & Cookies.ExactMask);
        Assert.Equal(FlowKind.Conversation, Cookies.KindOf(conversation & Cookies.KindMask));
    }
}
