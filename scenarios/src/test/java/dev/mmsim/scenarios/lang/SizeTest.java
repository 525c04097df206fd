package dev.mmsim.scenarios.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeTest {
    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
        "0, 0",
        "100, 100",
        "0x10, 16",
        "0X1000, 4096",
        "1p, 4096",
        "3p, 12288",
        "6K, 6144",
        "2M, 2097152",
        "1G, 1073741824",
        "9223372036854775807, 9223372036854775807",
    })
    void parses(String text, long bytes) {
        assertThat(Size.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} bytes render as {1}")
    @CsvSource({
        "0, 0",
        "100, 100",
        "1024, 1K",
        "6144, 6K",
        "4096, 1p",
        "8192, 2p",
        "20480, 5p",
        "2097152, 2M",
        "3145728, 3M",
        "1073741824, 1G",
        "3221225472, 3G",
        "4097, 4097",
    })
    void renders(long bytes, String text) {
        assertThat(new Size(bytes).render()).isEqualTo(text);
        assertThat(Size.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "4k | bad size '4k': unknown unit 'k' (expected p, K, M, G or none)",
        "4pp | bad size '4pp': unknown unit 'pp' (expected p, K, M, G or none)",
        "-4p | bad size '-4p': sizes cannot be negative",
        "p | bad size 'p': expected a number with an optional unit p, K, M or G",
        "0x10p | bad size '0x10p': a hex size counts bytes and takes no unit",
        "8589934592G | bad size '8589934592G': larger than 2^63-1 bytes",
        "9223372036854775808 | bad size '9223372036854775808': larger than 2^63-1 bytes",
    })
    void rejects(String text, String message) {
        assertThatThrownBy(() -> Size.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
