# ClinicTracker API container: build with the .NET SDK image, run on the ASP.NET Core runtime image.
#   docker compose up -d --build        (see docker-compose.yml and docs/operations.md)

# ---- build ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the solution and project files only, so this layer is reused until a
# project file or a package version changes. The .sln lists the test projects too, so they are copied.
COPY global.json Directory.Build.props Directory.Packages.props ClinicTracker.sln ./
COPY src/ClinicTracker.Core/ClinicTracker.Core.csproj src/ClinicTracker.Core/
COPY src/ClinicTracker.Api/ClinicTracker.Api.csproj src/ClinicTracker.Api/
COPY migrations/ClinicTracker.Migrations.Sqlite/ClinicTracker.Migrations.Sqlite.csproj migrations/ClinicTracker.Migrations.Sqlite/
COPY tests/ClinicTracker.Core.Tests/ClinicTracker.Core.Tests.csproj tests/ClinicTracker.Core.Tests/
COPY tests/ClinicTracker.Api.Tests/ClinicTracker.Api.Tests.csproj tests/ClinicTracker.Api.Tests/
RUN dotnet restore ClinicTracker.sln

COPY . .
RUN dotnet publish src/ClinicTracker.Api -c Release --no-restore -o /app/publish

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app

# The SQLite database lives on a volume at /data, owned by the non-root user the API runs as.
# ($APP_UID is set by the base image.) A new named volume takes this owner from the image.
RUN mkdir -p /data && chown "$APP_UID" /data

COPY --from=build /app/publish .

ENV ASPNETCORE_HTTP_PORTS=8080 \
    Database__DataDirectory=/data
VOLUME /data
EXPOSE 8080
USER $APP_UID

# No HEALTHCHECK: the runtime image has no curl or wget. Probe GET /health/ready from outside
# (orchestrator, load balancer); see docs/operations.md.
# `docker compose run --rm api migrate` applies pending migrations and exits.
ENTRYPOINT ["dotnet", "ClinicTracker.Api.dll"]
