package io.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.bench.HeaderSets.HeaderSet;
import io.gatehouse.model.HeaderPolicy;
import io.gatehouse.proxy.edge.EdgeHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The header benchmark measures real work: each set is admitted, cleaned or refused as stated. */
class HeaderSetsTest {
  @Test
  void everySetIsHandledAsStated() {
    for (HeaderSet set : HeaderSets.all()) {
      HttpHeaders h = set.copy();
      EdgeHeaders.Refusal refusal = EdgeHeaders.admit(h, HeaderPolicy.DEFAULT);
      if (set.refusal() != 0) {
        assertThat(refusal).as(set.name()).isNotNull();
        assertThat(refusal.status()).as(set.name()).isEqualTo(set.refusal());
        continue;
      }
      assertThat(refusal).as(set.name()).isNull();
      for (String name : set.headers().names()) {
        assertThat(h.contains(name)).as(set.name() + ": " + name)
            .isEqualTo(!set.removed().contains(name));
      }
      EdgeHeaders.setForwarding(h, HeaderPolicy.DEFAULT.identity(), "192.0.2.10", "https");
      assertThat(h.getAll("x-forwarded-for")).containsExactly("192.0.2.10");
      assertThat(h.get("x-forwarded-proto")).isEqualTo("https");
    }
  }

  @Test
  void copiesAreIndependent() {
    HeaderSet cdn = HeaderSets.viaCdn();
    EdgeHeaders.admit(cdn.copy(), HeaderPolicy.DEFAULT);
    assertThat(cdn.headers().contains("x-forwarded-for")).isTrue();
    assertThat(cdn.removed()).isNotEmpty();
  }
}
