package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyReplayTest {
  @Test
  void keepsPartsWithoutTakingThemAndHandsOutCopies() {
    BodyReplay replay = new BodyReplay();
    HttpContent first = new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.UTF_8));
    HttpContent last = new DefaultLastHttpContent(
        Unpooled.copiedBuffer("c", StandardCharsets.UTF_8));
    replay.add(first);
    replay.add(last);
    first.release(); // the caller still owns what it added
    last.release();
    List<HttpContent> copies = new ArrayList<>();
    replay.copyTo(copies);
    assertThat(replay.complete()).isTrue();
    assertThat(replay.bytes()).isEqualTo(3);
    assertThat(copies).extracting(c -> c.content().toString(StandardCharsets.UTF_8))
        .containsExactly("ab", "c");
    assertThat(copies.get(1)).isInstanceOf(DefaultLastHttpContent.class);
    copies.forEach(HttpContent::release);
    replay.release();
    assertThat(first.refCnt()).isZero();
    assertThat(last.refCnt()).isZero();
  }

  @Test
  void dropsEverythingPastTheLimit() {
    BodyReplay replay = new BodyReplay();
    HttpContent small = new DefaultHttpContent(Unpooled.buffer(10).writeZero(10));
    HttpContent big = new DefaultHttpContent(Unpooled.buffer(BodyReplay.LIMIT).writeZero(
        BodyReplay.LIMIT));
    replay.add(small);
    replay.add(big);
    assertThat(replay.complete()).isFalse();
    List<HttpContent> copies = new ArrayList<>();
    replay.copyTo(copies);
    assertThat(copies).isEmpty();
    assertThat(small.refCnt()).as("the kept duplicate was released").isEqualTo(1);
    small.release();
    big.release();
    replay.release();
  }
}
