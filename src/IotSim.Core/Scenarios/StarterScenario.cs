namespace IotSim.Core.Scenarios;

/// <summary>The commented starter scenario written by <c>iotsim init-config</c>; it loads as is and shows every section.</summary>
public static class StarterScenario
{
    /// <summary>
    /// The starter scenario for a program's sink types: <see cref="Text"/> followed by a commented reference of every
    /// sink type <paramref name="sinks"/> registers, with its keys, generated from the providers' option specs.
    /// </summary>
    public static string For(Sinks.SinkRegistry sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        var text = new System.Text.StringBuilder(Text);
        text.Append("# Sink types in this build and their keys (every sink also takes: ")
            .Append(string.Join(", ", SinkOptions.CommonKeys.Skip(1))).Append("):\n");
        foreach (Sinks.ISinkProvider provider in sinks.Providers)
        {
            text.Append("#   ").Append(provider.Type).Append(": ").Append(provider.Description).Append('\n');
            foreach (OptionSpec spec in provider.Options)
            {
                text.Append("#     ").Append(Sinks.SinkRegistry.KeyOf(spec)).Append(": ").Append(spec.Description)
                    .Append(" Allowed: ").Append(spec.Allowed).Append(".\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The starter scenario as YAML text.</summary>
    public const string Text =
        """
        # IotSim scenario. Every section is optional; the values below are the defaults unless noted.
        # Durations: 500ms, 30s, 5m, 1h30m, 1d, a number of seconds, or hh:mm:ss.

        # Seed of every random number: the same seed and scenario give byte-identical output.
        seed: 42

        fleet:
          # Built-in industries whose sensors every device carries: one name, a list, or "all".
          # mining, utilities, manufacturing, oil_gas, aerospace, space, water_wastewater, electric_power,
          # automotive, chemical, food_beverage, pharmaceutical, data_center, smart_building, agriculture,
          # renewable_energy. Use [environmental] instead for the temperature/humidity/pressure/vibration/voltage profile.
          industries: [mining]
          devices: 10                    # 1 to 100000000 (default 1)
          # interval: 1s                 # overrides every sensor's own reporting interval
          device:
            id_prefix: dev               # device ids are dev-000000, dev-000001, ...
            # manufacturer: SensorTech   # SensorTech, DataLogger, DataSense or MonitorPro; unset = a mix
            # model: EnvMonitor-3000     # must belong to the manufacturer
            # firmware: "1.4"            # 1.0, 1.2.0, 1.4, 2.1, 2.3.5, 2.5, 3.0.0-beta, 3.1.2-alpha, 3.2-rc1

        # Extra sensors on every device, inline and/or from CSV files (relative to this file).
        # custom_sensors:
        #   industry: custom
        #   csv: [sensors.csv]           # columns: name, sensor_type, unit, min_value, max_value, nominal_value, ...
        #   sensors:
        #     - name: room_temperature
        #       sensor_type: temperature
        #       unit: "°C"
        #       min_value: 15
        #       max_value: 35
        #       nominal_value: 22
        #       noise_std: 0.3           # absolute, in the unit (default 0.5% of the range)
        #       cyclic: true
        #       cycle_period_seconds: 86400
        #       cycle_amplitude: 2
        #       precision: 2
        #       interval: 1s

        time:
          mode: backfill                 # backfill (as fast as possible) or realtime (paced to the wall clock)
          start: 2026-01-01T00:00:00Z    # ISO 8601 with Z or an offset; realtime defaults to now
          duration: 1h                   # or end: 2026-01-01T01:00:00Z (not both)

        engine:
          threads: 0                     # 0 = one per core
          batch_size: 1048576            # readings per engine batch
          simd: auto                     # auto, scalar, v128, v256 or v512; the output is the same
          shard: 0/1                     # i/N: generate slice i of N of the fleet

        output:
          shape: narrow                  # narrow (a row per reading) or wide (a row per device and timestamp)

        anomalies:
          enabled: true
          probability_scale: 1.0         # multiplies every sensor's anomaly probability (0 to 1000)
          types:                         # unset kinds keep these defaults
            spike:        { enabled: true, weight: 0.4, duration: 1s }
            trend:        { enabled: true, weight: 0.2, duration: 5m }
            pattern:      { enabled: true, weight: 0.1, duration: 10m }
            noise:        { enabled: true, weight: 0.2, duration: 3m }
            missing_data: { enabled: true, weight: 0.1, duration: 30s }
            stuck:        { enabled: true, weight: 0.05, duration: 2m }
            dropout:      { enabled: true, weight: 0.05, duration: 10s }

        # dirty:                           # dirty delivery, off by default (shares from 0 to 1)
        #   late: 0.01                     # device messages delivered late, out of order
        #   max_delay: 30s
        #   duplicates: 0.005              # device messages delivered twice
        #   nulls: 0.001                   # readings with a null value
        #   clock_skew: 0.05               # devices whose clock is off by a fixed offset
        #   max_skew: 2s
        #   labels: ./dirty-labels.csv     # which reading got what: kind,timestamp,device_id,sensor,detail

        sinks:
          - type: console
            format: text                 # text or json
          # - type: file
          #   path: ./output               # relative to this file
          #   format: csv                  # csv or jsonl
          #   compression: gzip            # none, gzip or lz4
          #   rotation: 1h                 # new file per hour of data time
          #   max_bytes: 100MB             # or a new file after this many bytes
          # - type: null                   # discards readings, to measure generator throughput

        # monitoring:                      # HTTP API and live dashboard while the run lasts (or: run --monitor 127.0.0.1:8080)
        #   listen: 127.0.0.1:8080         # HOST:PORT; 0.0.0.0:8080 for every interface, port 0 picks a free one
        #   token: ${IOTSIM_MONITOR_TOKEN} # requests must send "Authorization: Bearer TOKEN"
        #   lag_threshold: 30s             # /healthz answers 503 beyond this lag
        #   samples: 100                   # latest readings kept for /samplez

        """;
}
