package dev.mmsim.scenarios.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddrTest {
    @ParameterizedTest(name = "{0} is {1}{2}, rendered {3}")
    @CsvSource({
        "A, A, 0, A",
        "A+4p, A, 16384, A+4p",
        "A-1p, A, -4096, A-1p",
        "A+16400, A, 16400, A+4p+0x10",
        "A+4p+0x10, A, 16400, A+4p+0x10",
        "A+0x10, A, 16, A+0x10",
        "A-1p-16, A, -4112, A-1p-0x10",
        "A+2M, A, 2097152, A+512p",
        "A+1p-1p, A, 0, A",
        "src_2+8K, src_2, 8192, src_2+2p",
        "arena+0x1000, arena, 4096, arena+1p",
    })
    void parsesAndRenders(String text, String base, long offset, String canonical) {
        Addr addr = Addr.parse(text);
        assertThat(addr).isEqualTo(new Addr(base, offset));
        assertThat(addr.render()).isEqualTo(canonical);
        assertThat(Addr.parse(canonical)).isEqualTo(addr);
    }

    @Test
    void rawAddressesAreUnsignedAndRenderInHex() {
        assertThat(Addr.parse("0x800000000000")).isEqualTo(new Addr(null, 0x8000_0000_0000L));
        assertThat(Addr.parse("4096").render()).isEqualTo("0x1000");
        assertThat(Addr.parse("0xffffffffffffffff")).isEqualTo(new Addr(null, -1));
        assertThat(new Addr(null, -1).render()).isEqualTo("0xffffffffffffffff");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "+4p | bad address '+4p': expected NAME, NAME+SIZE or NAME-SIZE",
        "'' | bad address '': expected NAME, NAME+SIZE or NAME-SIZE",
        "A+ | bad size '': expected a number with an optional unit p, K, M or G",
        "A+4q | bad size '4q': unknown unit 'q' (expected p, K, M, G or none)",
        "0x10+4p | bad address '0x10+4p': expected a decimal or 0x hex number",
        "A+9223372036854775807+1 | bad address 'A+9223372036854775807+1': offset too large",
    })
    void rejects(String text, String message) {
        assertThatThrownBy(() -> Addr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
