package io.gatehouse.standalone.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fabric8.kubernetes.api.model.AnyType;
import java.io.IOException;

/**
 * Jackson 2 serialisers that fabric8's model classes need. fabric8 8 declares its custom
 * serialisers with Jackson 3 annotations, which Jackson 2 does not see: without this module an
 * {@code IntOrString} such as a Service's {@code targetPort: 3000} is written as
 * {@code {"value":3000,"intVal":3000}}, which neither kubectl nor fabric8 can read back.
 */
public final class Fabric8Module extends SimpleModule {
  private static final long serialVersionUID = 1L;

  public Fabric8Module() {
    super("gatehouse-fabric8");
    addSerializer(AnyType.class, new AnyTypeSerializer());
  }

  /** Writes an {@code AnyType} (and so an {@code IntOrString}) as its bare value. */
  private static final class AnyTypeSerializer extends StdSerializer<AnyType> {
    private static final long serialVersionUID = 1L;

    AnyTypeSerializer() {
      super(AnyType.class);
    }

    @Override
    public void serialize(AnyType value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      provider.defaultSerializeValue(value.getValue(), gen);
    }
  }
}
